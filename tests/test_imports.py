"""The package's import graph is one-way: no cycle among its modules, and no library module imports `koopman_repr.paper`
(the paper's experiments build on the library, never the other way round)."""
import ast
from pathlib import Path
import koopman_repr

ROOT = Path(koopman_repr.__file__).parent

def _name(p:Path)->str: return '.'.join(('koopman_repr',) + p.relative_to(ROOT).with_suffix('').parts).removesuffix('.__init__')

def imports(p:Path)->set:
    "The koopman_repr modules that module file `p` imports (relative imports resolved)."
    me, out = _name(p).split('.'), set()
    pkg = me if p.name == '__init__.py' else me[:-1]
    for n in ast.walk(ast.parse(p.read_text())):
        if isinstance(n, ast.ImportFrom):
            base = pkg[:len(pkg) - n.level + 1] if n.level else []
            mod = '.'.join(base + (n.module.split('.') if n.module else []))
            out |= {mod} if n.module else {f'{mod}.{a.name}' for a in n.names}
        elif isinstance(n, ast.Import): out |= {a.name for a in n.names}
    return {m for m in out if m.startswith('koopman_repr.') and m != 'koopman_repr._modidx'}

def graph()->dict: return {_name(p): imports(p) for p in ROOT.rglob('*.py') if p.name != '_modidx.py'}

def _cycle(g:dict):
    "A cycle of `g` as a list of modules, or None."
    state, stack = {}, []
    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in g.get(m, ()):
            if state.get(d) == 1: return stack[stack.index(d):] + [d]
            if d not in state and (c := visit(d)): return c
        state[m] = 2
        stack.pop()
    for m in g:
        if m not in state and (c := visit(m)): return c

def test_graph_reads_the_package():
    g = graph()
    assert {'koopman_repr.data', 'koopman_repr.paper.cli'} <= set(g)
    assert 'koopman_repr.data' in g['koopman_repr.base_nets'] and 'koopman_repr.paper.experiments' in g['koopman_repr.paper.cli']

def test_no_library_module_imports_the_paper():
    bad = {m: sorted(d for d in deps if d.startswith('koopman_repr.paper')) for m, deps in graph().items()
           if not m.startswith('koopman_repr.paper')}
    assert {m: d for m, d in bad.items() if d} == {}

def test_no_cycle():
    assert _cycle(graph()) is None

def test_the_cycle_check_can_fail():
    assert _cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert _cycle({'a': {'b'}, 'b': set()}) is None
