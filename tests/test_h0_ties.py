"""Exact H0 deaths on clouds full of ties: duplicates, lattices, equal distances.

The deaths are compared with SciPy's minimum spanning tree of the dense float64 distance matrix; on large tied clouds
(20 000 identical points, a 100 × 100 lattice) with their known answers. Times are the benchmark's business
(benchmarks/h0_ties.py), not the tests'.
"""
import numpy as np
import pytest
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.sparse import coo_matrix
from koopman_repr.topology import betti0_curve, h0_deaths, h0_diagram, mst_edges

def scipy_deaths(X:np.ndarray)->np.ndarray:
    """Sorted MST edge lengths by SciPy on the dense float64 distance matrix. SciPy reads a zero as "no edge",
    so the tree is found on D + 1 (every spanning tree has n − 1 edges: the same trees are minimal) and its
    lengths are read from D."""
    D = np.sqrt(((X[:, None] - X[None]) ** 2).sum(-1))
    i, j = minimum_spanning_tree(D + 1).nonzero()
    assert len(i) == len(X) - 1
    return np.sort(D[i, j])

def grid(a:int, b:int)->np.ndarray:
    return np.stack(np.meshgrid(np.arange(a * 1.0), np.arange(b * 1.0)), -1).reshape(-1, 2)

def circle(n:int)->np.ndarray:
    t = 2 * np.pi * np.arange(n) / n
    return np.c_[np.cos(t), np.sin(t)]

g = np.random.default_rng(0)
CLOUDS = {
    'random 2-D': g.normal(size=(300, 2)),
    'random 20-D': g.normal(size=(200, 20)),
    'duplicates': np.repeat(g.normal(size=(40, 3)), 5, axis=0),
    'duplicates, shuffled': g.permutation(np.repeat(g.normal(size=(60, 4)), 4, axis=0)),
    'grid 12 x 12': grid(12, 12),
    'grid 30 x 20, scaled': grid(30, 20) * 0.1 + 7,
    'grid with every point twice': np.r_[grid(15, 15), grid(15, 15)],
    'circle, equal spacing': circle(64),
    'integer coordinates': g.integers(0, 5, size=(300, 3)).astype(float),
    'binary, 784-D': g.integers(0, 2, size=(150, 784)).astype(float),
    'simplex (all distances equal)': np.eye(40),
    'all identical': np.full((50, 3), 2.5),
    'two points, one twice': np.array([[0.0, 1], [0, 1], [3, 5]]),
    '-0.0 and 0.0': np.array([[0.0, 0], [-0.0, 0], [0, -0.0], [1, 1]]),
}

@pytest.mark.parametrize('name', CLOUDS)
def test_deaths_equal_scipy(name):
    X = CLOUDS[name]
    ours, ref = h0_deaths(X), scipy_deaths(X)
    assert ours.shape == (len(X) - 1,)
    np.testing.assert_allclose(ours, ref, rtol=1e-12, atol=0)

INTEGER = ['grid 12 x 12', 'integer coordinates', 'binary, 784-D', 'grid with every point twice']

@pytest.mark.parametrize('name', INTEGER)
def test_integer_clouds_exact(name):
    "Squared distances of integer points are integers: the deaths equal SciPy's bit for bit."
    X = CLOUDS[name]
    assert np.array_equal(h0_deaths(X), scipy_deaths(X))

@pytest.mark.parametrize('name', ['duplicates', 'grid with every point twice', 'integer coordinates', 'all identical'])
def test_tree_spans_and_lengths_match_edges(name):
    X = CLOUDS[name]
    i, j, e = mst_edges(X)
    n = len(X)
    assert len(i) == len(j) == len(e) == n - 1
    assert connected_components(coo_matrix((np.ones(n - 1), (i, j)), shape=(n, n)))[0] == 1
    np.testing.assert_allclose(e, np.sqrt(((X[i] - X[j]) ** 2).sum(1)), rtol=1e-12, atol=0)

def test_mst_options_agree_on_ties():
    "Tiny caches and blocks force every rescanning path; ties and duplicates give the same deaths."
    for X in (CLOUDS['grid with every point twice'], CLOUDS['integer coordinates'], CLOUDS['circle, equal spacing']):
        ref = h0_deaths(X)
        for kw in (dict(k=1, block=7), dict(k=3, block=16, store_bytes=0)):
            assert np.array_equal(np.sort(mst_edges(X, **kw)[2]), ref)

def test_duplicates_in_diagram_and_betti0():
    X = CLOUDS['duplicates']  # 40 distinct points, 5 copies each
    d = h0_deaths(X)
    assert (d == 0).sum() == 160 and (d > 0).sum() == 39
    assert len(h0_diagram(X)) == 40  # zero-length bars dropped, one infinite bar
    assert betti0_curve(d, [0.0])[0] == 40
    assert betti0_curve(d, [d.max()])[0] == 1

def test_many_identical_points():
    d = h0_deaths(np.full((20_000, 5), -3.0))
    assert d.shape == (19_999,) and not d.any()
    assert h0_diagram(np.full((20_000, 5), -3.0)).tolist() == [[0.0, np.inf]]

def test_lattice_100_by_100():
    X = grid(100, 100)
    assert np.array_equal(h0_deaths(X), np.ones(9999))  # every tree edge joins two neighbours at distance 1
    assert betti0_curve(h0_deaths(X), [0.5, 1.0]).tolist() == [10_000, 1]

def test_lattice_with_copies():
    X = np.repeat(grid(60, 60), 3, axis=0)
    d = h0_deaths(X)
    assert (d == 0).sum() == 7200 and np.array_equal(d[7200:], np.ones(3599))

def test_dense_circle():
    "20 000 equally spaced points of a circle: closer than float32 resolves at the circle's scale (float64 products)."
    n = 20_000
    d = h0_deaths(circle(n) * 3)
    assert d.shape == (n - 1,)
    np.testing.assert_allclose(d, 6 * np.sin(np.pi / n), rtol=1e-9)
