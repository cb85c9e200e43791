"""How the library's code reads, measured: the share of function-body lines that are argument checks, the share of characters in
`raise` statements, lines over 120 characters (nbdev's generated `__all__` line, wrapped by nbdev at 120 characters before it
adds `__all__ = `, counted apart), lines with `;`-chained statements, and exported names per module.

    python .ci/house.py [folder ...]      # default: koopman_repr
    python .ci/house.py --check           # exit 1 when a measure is past the house's limits (LIMITS)
    python .ci/house.py --library         # the library modules alone (koopman_repr/*.py, not koopman_repr.paper)

A check is a `raise`, an `assert`, an `if` whose body only raises, or a call of a function whose name starts with `check` or
`_check`, or of an upper-case rule constant such as `_MASK` (with any assignment around it); a function's body lines
are those after its docstring. Generated files (`_modidx.py`) are left out.
"""
import ast, io, re, sys, tokenize
from pathlib import Path

CHECK_CALL = re.compile(r'^_?check|^_?[A-Z][A-Z0-9_]*$')  # check_*, or a rule constant (`_MASK(v, name)`)

def _called(node)->str:
    "The name a call statement calls (`f(...)`, `x = f(...)`, `mod.f(...)`), or ''."
    v = node.value if isinstance(node, (ast.Expr, ast.Assign, ast.AnnAssign)) else None
    if not isinstance(v, ast.Call): return ''
    f = v.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ''

def is_check(node)->bool:
    "A statement that only checks its inputs."
    if isinstance(node, (ast.Raise, ast.Assert)): return True
    if isinstance(node, ast.If) and not node.orelse and all(isinstance(b, ast.Raise) for b in node.body): return True
    return bool(CHECK_CALL.match(_called(node)))

def _lines(node)->set: return set(range(node.lineno, node.end_lineno + 1))

def function_lines(tree)->tuple:
    "(body lines, check lines) over every function of a module, each line counted once."
    body, checks = set(), set()
    for fn in ast.walk(tree):
        if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)): continue
        stmts = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
        for s in stmts: body |= _lines(s)
        for s in ast.walk(ast.Module(body=stmts, type_ignores=[])):
            if isinstance(s, ast.stmt) and is_check(s): checks |= _lines(s)
    return body, checks & body

def chained_lines(src:str)->int:
    "Lines on which a `;` separates statements."
    toks = tokenize.generate_tokens(io.StringIO(src).readline)
    return len({t.start[0] for t in toks if t.type == tokenize.OP and t.string == ';'})

def raise_chars(tree, src:str)->int:
    "Characters of the module's source inside `raise` statements."
    return sum(len(ast.get_source_segment(src, n) or '') for n in ast.walk(tree) if isinstance(n, ast.Raise))

def exported(tree)->int:
    "Names in the module's `__all__` (0 if none)."
    for n in tree.body:
        if isinstance(n, ast.Assign) and any(getattr(t, 'id', '') == '__all__' for t in n.targets):
            return len(n.value.elts)
    return 0

def measure(paths)->dict:
    "The house measures over `paths`, summed, with exported names per module."
    body = checks = chars = rchars = long = all_long = semi = 0
    names = {}
    for p in paths:
        src = p.read_text()
        tree = ast.parse(src)
        b, c = function_lines(tree)
        body, checks = body + len(b), checks + len(c)
        chars, rchars = chars + len(src), rchars + raise_chars(tree, src)
        long += sum(len(l) > 120 and not l.startswith('__all__ = [') for l in src.splitlines())
        all_long += sum(len(l) > 120 and l.startswith('__all__ = [') for l in src.splitlines())
        semi += chained_lines(src)
        names['.'.join(p.with_suffix('').parts[-2:]) if p.parent.name == 'paper' else p.stem] = exported(tree)
    return dict(check_share=100 * checks / max(body, 1), raise_share=100 * rchars / max(chars, 1), long_lines=long, all_lines=all_long,
                chained_lines=semi, exported=names)

# the house's limits: checks and `raise` text as shares (%), counts of lines, names per module
LIMITS = dict(check_share=12.0, raise_share=4.0, long_lines=0, chained_lines=0, exported=40)

def over_limits(m:dict)->list:
    "The measures of `m` past LIMITS, as lines naming the measure, its value and its limit."
    got = {**m, 'exported': max(m['exported'].values(), default=0)}
    return [f"{k} = {got[k]:.1f} > {v}" for k, v in LIMITS.items() if got[k] > v]

if __name__ == '__main__':
    check, library = '--check' in sys.argv, '--library' in sys.argv
    folders = [a for a in sys.argv[1:] if not a.startswith('--')] or ['koopman_repr']
    paths = sorted(p for f in folders for p in (Path(f).glob('*.py') if library else Path(f).rglob('*.py'))
                   if p.name != '_modidx.py')
    m = measure(paths)
    ex = {k: v for k, v in m['exported'].items() if v}
    print(f"function-body lines that are checks: {m['check_share']:.2f} %")
    print(f"`raise` text, share of all characters: {m['raise_share']:.2f} %")
    print(f"code lines over 120 characters: {m['long_lines']} (and {m['all_lines']} of nbdev's generated `__all__` lines)")
    print(f"lines with ;-chained statements: {m['chained_lines']}")
    print(f"exported names per module, mean / max: {sum(ex.values()) / max(len(ex), 1):.1f} / {max(ex.values(), default=0)} "
          f"({max(ex, key=ex.get) if ex else '-'})")
    if check and over_limits(m): sys.exit('house limits exceeded: ' + '; '.join(over_limits(m)))
