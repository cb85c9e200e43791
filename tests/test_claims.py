"""The front page says what the results say: the claims on the README and the index are the ones the results files give now."""
import json, re
from pathlib import Path
from koopman_repr.paper.claims import claims, claims_markdown, claims_sentence, surrogate_claims, unlearning_eval_sentence

def _unlink(text): return re.sub(r'\]\([^)]*\)', ']()', text)

def _index_outputs(root)->str:
    nb = json.loads((root/'nbs'/'index.ipynb').read_text())
    out = []
    for c in nb['cells']:
        for o in c.get('outputs', []):
            out.append(''.join(o.get('data', {}).get('text/markdown', '')))
    return '\n'.join(out)

def test_readme_and_index_state_the_claims_the_results_give(root):
    rows = claims(root/'results')
    assert len(rows) >= 8, 'claims went missing: a results file was not read'
    table, sentence = _unlink(claims_markdown(rows, rules=False)), claims_sentence(rows)
    readme, index = _unlink((root/'README.md').read_text()), _unlink(_index_outputs(root))
    for where, text in (('README.md', readme), ('nbs/index.ipynb', index)):
        assert table in text, f'{where}: the claims table differs from what results/ gives; re-execute the index and run .ci/readme.py'
        assert sentence in text, f'{where}: the summary sentence differs from what results/ gives'
        assert _unlink(unlearning_eval_sentence(root/'results')) in text, f'{where}: the unlearning verdict sentence differs from results/'

def test_a_changed_result_changes_the_verdict(tmp_path, root):
    "The check can fail: results in which the surrogate falls 3 pp below its network turn 'holds' into 'fails'."
    ka, bn = (json.loads((root/'results'/f).read_text()) for f in ('koopman_ae.json', 'base_nets.json'))
    r = {'koopman_ae': ka, 'base_nets': bn, 'zoo': {}}
    assert surrogate_claims(r)[0]['verdict'] == 'holds'
    ka['yinyang']['surrogate_test_acc'] = [bn['yinyang_resmlp5']['test_acc'] - 3.0] * 5
    assert surrogate_claims(r)[0]['verdict'] == 'fails'

def test_no_typed_result_sentences_on_the_index(root):
    "The index's own prose (Markdown cells) carries no percentages or decimals: every number on it comes from a results file."
    nb = json.loads((root/'nbs'/'index.ipynb').read_text())
    prose = '\n'.join(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown')
    prose = re.sub(r'```.*?```', '', prose, flags=re.S)  # code blocks (install, citation) are not claims
    prose = re.sub(r'\]\([^)]*\)|arXiv:[\d.]+|CC BY-SA [\d.]+', '', prose)  # link targets, the paper's id, a licence
    assert re.findall(r'\d+(?:\.\d+)?\s*%|\b\d+\.\d+\b', prose) == []
