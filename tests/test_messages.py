"""Every error message that names a remedy names something that exists: a parameter of the package, or an option of the command."""
import ast, importlib, inspect, pkgutil, re
import koopman_repr

MODULES = [importlib.import_module(m.name) for m in pkgutil.walk_packages(koopman_repr.__path__, 'koopman_repr.')
           if not m.name.rsplit('.', 1)[-1].startswith('_') and not m.ispkg]

def _parameters()->set:
    "Every parameter name of every function, method and dataclass of the package."
    out = set()
    for m in MODULES:
        for obj in vars(m).values():
            objs = [obj] + ([v for v in vars(obj).values() if callable(v)] if inspect.isclass(obj) else [])
            for o in objs:
                try: out |= set(inspect.signature(o).parameters)
                except (TypeError, ValueError): pass
            if inspect.isclass(obj) and hasattr(obj, '__dataclass_fields__'): out |= set(obj.__dataclass_fields__)
    return out

def _raised_texts():
    "(module, text) of the string pieces of every `raise` statement in the package."
    for m in MODULES:
        for node in ast.walk(ast.parse(inspect.getsource(m))):
            if isinstance(node, ast.Raise):
                yield m.__name__, ''.join(n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str))

def test_remedies_name_parameters_that_exist():
    params, named = _parameters(), []
    for mod, text in _raised_texts():
        named += [(mod, x) for x in re.findall(r"\b(?:pass|use|set|give)\s+`?(\w+)\s*=", text)]
    assert named, 'the walk found no remedy at all: the pattern is broken'
    assert [(mod, x) for mod, x in named if x not in params] == []

def test_remedies_name_command_options_that_exist():
    from koopman_repr.paper.cli import parser
    options = {o for a in parser()._subparsers._group_actions for s in a.choices.values() for act in s._actions for o in act.option_strings}
    named = [(mod, o) for mod, text in _raised_texts() for o in re.findall(r'(?<![\w-])(--[a-z][\w-]*)', text)]
    assert named and [(mod, o) for mod, o in named if o not in options] == []

def test_the_walk_catches_a_made_up_remedy():
    "The check can fail: a parameter nobody has is not among the package's parameters."
    assert 'on_corrupt' in _parameters() and 'no_such_option_xyz' not in _parameters()
