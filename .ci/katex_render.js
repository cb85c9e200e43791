// Render TeX with KaTeX, server-side, for .ci/site.py.
// Usage: node .ci/katex_render.js KATEX_PACKAGE_DIR < formulas.json > rendered.json
// In:  [[tex, display], ...]   Out: [{html, warnings} | {error}, ...], one per formula, in order.
// A formula KaTeX cannot parse comes back as {error}, never as red text in the page (throwOnError: true).
const katex = require(process.argv[2]);
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', d => { input += d; });
process.stdin.on('end', () => {
  const out = JSON.parse(input).map(([tex, display]) => {
    const warnings = [];
    try {
      const html = katex.renderToString(tex, {
        displayMode: display, throwOnError: true, output: 'htmlAndMathml',
        strict: (code, msg) => { warnings.push(msg); return 'ignore'; },
      });
      return { html, warnings };
    } catch (e) {
      const pos = e && typeof e.position === 'number' ? ` at position ${e.position + 1}` : '';
      return { error: e && e.rawMessage ? `KaTeX parse error: ${e.rawMessage}${pos}` : String(e && e.message || e) };
    }
  });
  process.stdout.write(JSON.stringify({ version: katex.version, out }));
});
