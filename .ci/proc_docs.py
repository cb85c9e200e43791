"""Build nbdev's processed docs folder (_proc/) without Quarto, which cannot be installed here.

nbdev 2's `nbdev_proc_nbs` first calls `_ensure_quarto`, which tries `sudo` and a pip install when
Quarto is missing; we replace that with a no-op and call the same processing function.

Then every `show_doc` output in `_proc/*.ipynb` is rendered again, as the site shows it: the signature
without its parameter comments, wrapped at `SIG_WIDTH` characters, the docstring, and the comments
("docments") as a table `Parameter | Type | Default | Details`. fastcore's renderer puts the comments
inside the signature, on lines up to 110 characters long, which the site would cut at the column's edge.
A `show_doc` call that cannot be evaluated here keeps nbdev's output (the site check then judges it).
"""
import ast, json, re, sys
from pathlib import Path

SIG_WIDTH = 100  # longest line of a shown signature (the site check's limit)


def _cell_text(s): return ''.join(s) if isinstance(s, list) else s


def show_doc_call(src:str):
    "The `show_doc(…)` expression a processed cell runs, or None if the cell does something else."
    code = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith('#|')).strip()
    if not code.startswith('show_doc('): return None
    try: tree = ast.parse(code, mode='eval')
    except SyntaxError: return None
    b = tree.body
    return code if isinstance(b, ast.Call) and getattr(b.func, 'id', None) == 'show_doc' else None


def _cell(s): return str(s).replace('|', '\\|').replace('\n', ' ').strip()


MAX_DEFAULT = 40  # a default longer than this (an expanded config) is shown by its type


def _short_default(text:str, default)->str:
    "A default as the table shows it: its repr, or `Type(…)` when the repr is long."
    return text if len(text) <= MAX_DEFAULT else f'{type(default).__name__}(…)'


def docments_table(sym)->str:
    "The parameter comments of `sym` as a Markdown table (empty if it has none)."
    from fastcore.docments import docments, _maybe_nm, _fmt_default
    from inspect import Parameter, signature
    try: dm = docments(sym, full=True)
    except Exception: return ''
    dm.pop('self', None)
    if not any(v.get('docment') for v in dm.values()): return ''
    try: order = [p for p in signature(sym, eval_str=True).parameters if p in dm]
    except (ValueError, TypeError): order = [p for p in dm if p != 'return']
    def code(s): return f'`{_cell(s)}`' if s else ''
    rows = ['| Parameter | Type | Default | Details |', '|---|---|---|---|']
    for nm in order:
        p = dm[nm]
        anno, default = p.get('anno', Parameter.empty), p.get('default', Parameter.empty)
        kind = p.get('kind')
        star = '*' if kind == Parameter.VAR_POSITIONAL else '**' if kind == Parameter.VAR_KEYWORD else ''
        anno = '' if anno is type(None) else _maybe_nm(anno)  # a type read off a None default says nothing
        rows.append(f"| {code(star + nm)} | {code(anno)} | {code(_short_default(_fmt_default(default), default))} "
                    f"| {_cell(p.get('docment') or '')} |")
    ret = dm.get('return', {})
    if ret.get('docment'):
        anno = code(_maybe_nm(ret.get('anno', Parameter.empty)))
        rows.append(f"| **Returns** | {anno} |  | {_cell(ret['docment'])} |")
    return '\n'.join(rows)


def wrap_params(name:str, params:list, ret:str, width:int=SIG_WIDTH, prefix:str='def')->str:
    "`prefix name(` then the formatted parameters packed into lines of at most `width` characters, then `ret`."
    lines, cur = [], ''
    for p in params:
        piece = p + ','
        if len(piece) > width - 4:  # one parameter too long for a line (a long default): break it at its commas
            if cur: lines.append(cur)
            parts, cur = re.split(r'(?<=,) ', piece), ''
            first = True
            for part in parts:
                room = width - (4 if first else 8)
                if cur and len(cur) + 1 + len(part) > room:
                    lines.append(cur if first else '    ' + cur)
                    cur, first = part, False
                else: cur = f'{cur} {part}' if cur else part
            if not first: cur = '    ' + cur
            lines.append(cur)
            cur = ''
        elif cur and len(cur) + 1 + len(piece) > width - 4:
            lines.append(cur)
            cur = piece
        else: cur = f'{cur} {piece}' if cur else piece
    if cur: lines.append(cur)
    if not lines: return f"{prefix} {name}({ret}"
    lines[-1] = lines[-1].removesuffix(',')
    return f"{prefix} {name}(\n" + ''.join(f"    {l}\n" for l in lines) + ret


def signature_block(sym)->str:
    "The signature of `sym` without its parameter comments, no line longer than SIG_WIDTH."
    from fastcore.docments import DocmentText, _clean_text_sig, get_name
    import inspect
    d = DocmentText(sym, maxline=SIG_WIDTH, docstring=False)
    for v in d.dm.values(): v['docment'] = None
    o = sym
    if not callable(o) or (_clean_text_sig(o) and not d.params): return f"```python\n{d}\n```"
    is_inst = not (inspect.isfunction(o) or inspect.isclass(o) or inspect.isbuiltin(o) or inspect.ismethod(o))
    prefix = 'async def' if inspect.iscoroutinefunction(o) else 'def'
    nm = get_name(o) if hasattr(o, '__name__') else f'{type(o).__name__}.__call__' if is_inst else get_name(o)
    return f"```python\n{wrap_params(nm, [f for f, _ in d.params], d._ret_str, prefix=prefix)}\n```"


def table_renderer():
    "nbdev's show_doc renderer, with the signature wrapped and the docments as a table."
    from nbdev.showdoc import BasicMarkdownRenderer
    from nbdev.doclinks import NbdevLookup
    from fastcore.docments import _ital_first

    class TableRenderer(BasicMarkdownRenderer):
        def _repr_markdown_(self):
            doc = '---\n\n'
            from fastcore.docments import qual_name
            src = NbdevLookup().code(qual_name(self.sym))  # the name nbdev's run sees (its symbols are in __main__)
            if not src or src.endswith('#LNone'): src = NbdevLookup().code(self.fn)
            if src: doc += f'[source]({src}){{target="_blank" style="float:right; font-size:smaller"}}\n\n'
            doc += f"{'#' * self.title_level} {self.nm}\n\n{signature_block(self.sym)}"
            if self.docs: doc += f"\n\n{_ital_first(self.docs)}"
            tbl = docments_table(self.sym)
            if tbl: doc += f"\n\n{tbl}"
            return doc
    return TableRenderer


def namespace(default_exp):
    "Every public name of the package's modules, the notebook's own module last (so its names win)."
    import importlib, pkgutil, koopman_repr
    from nbdev.showdoc import show_doc
    ns = {}
    mods = sorted(m.name[len('koopman_repr.'):] for m in pkgutil.walk_packages(koopman_repr.__path__, 'koopman_repr.')
                  if not m.name.rsplit('.', 1)[-1].startswith('_') and not m.ispkg)
    for name in [m for m in mods if m != default_exp] + ([default_exp] if default_exp in mods else []):
        try: ns.update(vars(importlib.import_module(f'koopman_repr.{name}')))
        except Exception as e: print(f"proc_docs: cannot import koopman_repr.{name}: {e}", file=sys.stderr)
    ns['show_doc'] = show_doc
    return ns


def rerender_show_docs(proc:Path)->int:
    "Render every show_doc output of the notebooks in `proc` again with `table_renderer`; the number rendered."
    from nbdev.doclinks import NbdevLookup
    renderer, n = table_renderer(), 0
    for nb_path in sorted(proc.glob('*.ipynb')):
        nb = json.loads(nb_path.read_text())
        src_all = '\n'.join(_cell_text(c['source']) for c in nb['cells'] if c['cell_type'] == 'code')
        m = re.search(r'^#\|\s*default_exp\s+(\S+)', src_all, re.M)
        ns, changed = None, False
        for cell in nb['cells']:
            if cell['cell_type'] != 'code': continue
            call = show_doc_call(_cell_text(cell['source']))
            outs = [o for o in cell.get('outputs', []) if 'text/markdown' in o.get('data', {})]
            if not call or not outs: continue
            if ns is None: ns = namespace(m.group(1) if m else None)
            try:
                r = eval(call.replace('show_doc(', '_show_doc_(', 1), {**ns, '_show_doc_': ns['show_doc']})
                md = renderer(r.sym, name=r.name, title_level=r.title_level)._repr_markdown_()
            except Exception as e:
                why = f"{type(e).__name__}: {e}"
                print(f"proc_docs: {nb_path.name}: kept nbdev's output of `{call}` ({why})", file=sys.stderr)
                continue
            md = NbdevLookup().linkify(md)
            outs[0]['data']['text/markdown'] = md.splitlines(keepends=True)
            changed, n = True, n + 1
        if changed: nb_path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + '\n')
    return n


READ_FIRST = ('index.ipynb', 'getting_started.ipynb')  # the sidebar's first entries, in this order; the rest as nbdev lists them


def order_sidebar(path:Path, first=READ_FIRST):
    "Put the `first` pages at the top of nbdev's generated sidebar (a reader meets Getting started before the API)."
    lines = path.read_text().splitlines()
    entries = [l for l in lines if l.strip().startswith('- ') and l.strip()[2:] in first]
    rest = [l for l in lines if l not in entries]
    at = next(i for i, l in enumerate(rest) if l.strip().startswith('- '))
    ordered = sorted(entries, key=lambda l: first.index(l.strip()[2:]))
    path.write_text('\n'.join(rest[:at] + ordered + rest[at:]) + '\n')


if __name__ == '__main__':
    import nbdev.quarto
    from nbdev.config import get_config
    nbdev.quarto._ensure_quarto = lambda: None
    nbdev.quarto._pre_docs()
    rerender_show_docs(get_config().config_path/'_proc')
    order_sidebar(get_config().config_path/'_proc'/'sidebar.yml')
