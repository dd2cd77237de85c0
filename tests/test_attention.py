"""The attention family (docs/attention.md): certificates refuse the instances they cannot prove."""
import mpmath

from boundcheck.constructions.attention import context_matrix, full_rank_input
from boundcheck.simulators import attention as S


def test_the_impossibility_certificate_refuses_a_realisable_low_rank_context():
    """P = softmax of a rank-2 score matrix: log P + 1 c^T has rank 2 for the right c, so a head of size 2 realises
    it. The certificate must refuse (sigma_min(log P) ~ 0), and the construction must succeed at d_h = 2."""
    n = 6
    with mpmath.workdps(S.DPS):
        u = mpmath.matrix([[0.3 * i - 0.7] for i in range(n)])
        v = mpmath.matrix([[0.5 - 0.2 * j] for j in range(n)])
        w = mpmath.matrix([[(-1) ** i * 0.4] for i in range(n)])
        P = S.column_softmax(u * v.T + w * u.T)
        certified, why = S.impossibility_certificate(P, 2)
        assert not certified and "not above" in why
        X = full_rank_input(n + 2, n, 5)
        Wq, Wk = S.construct_head(X, P, 2)
        assert S.head_error(X, P, Wq, Wk, 2) < S.CONSTRUCTED


def test_a_perturbed_head_is_not_counted_as_a_construction():
    n = 5
    with mpmath.workdps(S.DPS):
        X, P = full_rank_input(n + 2, n, 1), context_matrix(n, 2)
        Wq, Wk = S.construct_head(X, P, n - 1)
        assert S.head_error(X, P, Wq, Wk, n - 1) < S.CONSTRUCTED
        Wq[0, 0] += mpmath.mpf("1e-6")
        assert S.head_error(X, P, Wq, Wk, n - 1) > S.CONSTRUCTED


def test_the_threshold_is_n_minus_1_not_n():
    """The finding (docs/attention.md): at d_h = n - 1 every seeded instance is constructed, at d_h = n - 2 every one
    is certified impossible."""
    assert S.observe_realisable({"n": 6, "d_h": 5, "heads": 1}).value == 1.0
    at_n_minus_2 = S.observe_realisable({"n": 6, "d_h": 4, "heads": 1})
    assert at_n_minus_2.value == 0.0 and at_n_minus_2.inconclusive is None
