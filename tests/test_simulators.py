"""Exact moments vs Monte Carlo vs step-by-step, float64 vs mpmath, and the precision switch."""
import itertools
import math

import mpmath
import numpy as np
import pytest

from boundcheck import theorems
from boundcheck.constructions.shuffling import (TypedQuadratic1D, random_quadratic_1d, safran_prop11, safran_prop13,
                                     safran_thm8_parts)
from boundcheck.simulators import simultaneous_z
from boundcheck.simulators.shuffling import (equal_curvature_moments, expected_gap_float64, expected_gap_mpmath,
                                  monte_carlo_gap, typed_moments)

ETAS = np.array([0.003, 0.03, 0.2, 0.7, 1.3])


def _instances():
    rng = np.random.default_rng(7)
    yield safran_prop11(6, 1.0, 6.0)
    yield safran_prop11(5, 1.0, 6.0)  # odd n: one f = 0 component (3 types, DP)
    yield safran_prop13(8, 1.0, 6.0)
    yield random_quadratic_1d(rng, 7, mu=0.5, L=2.0, G=1.0, n_types=3, x0_radius=1.0, curvature_low=-1.0,
                              exact_mean_curvature=False).centred()


MC_CASES = [(inst, algorithm, output) for inst in _instances() for algorithm in ("rr", "ss")
            for output in ("final", "average")]
# every case compares len(ETAS) step sizes: the whole table is one family of comparisons (Sidak-corrected)
MC_Z = simultaneous_z(len(MC_CASES) * len(ETAS))


def _mc_z_scores(inst, algorithm: str, output: str, seed: int) -> np.ndarray:
    K = 4
    exact = expected_gap_float64(inst, ETAS, K, algorithm, output)
    mean, se = monte_carlo_gap(inst, ETAS, K, algorithm, runs=40000, seed=seed, output=output)
    return (exact - mean) / se


@pytest.mark.parametrize("inst,algorithm,output", MC_CASES,
                         ids=[f"{i.name or f'random-n{i.n}'}-{a}-{o}" for i, a, o in MC_CASES])
def test_exact_moments_match_monte_carlo_within_a_simultaneous_band(inst, algorithm, output):
    """|z| <= z_m with z_m the Sidak band for all 80 comparisons of the table (family-wise miss prob. 0.0027)."""
    z = _mc_z_scores(inst, algorithm, output, seed=11)
    assert np.all(np.abs(z) <= MC_Z), (z, MC_Z)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(30))
def test_exact_moments_match_monte_carlo_for_30_seeds(seed):
    z = np.concatenate([_mc_z_scores(i, a, o, seed) for i, a, o in MC_CASES])
    assert np.all(np.abs(z) <= MC_Z), (seed, z[np.abs(z) > MC_Z], MC_Z)


def test_exact_moments_match_full_enumeration():
    """E q and Var q over all n! orders, against the closed form (E1) and the lattice DP."""
    for inst in (safran_prop11(6, 1.0, 6.0), safran_prop13(6, 1.0, 6.0)):
        a, b = inst.components()
        for eta in (0.01, 0.3, 1.5):
            qs = []
            for perm in itertools.permutations(range(inst.n)):
                S, W = 0.0, 1.0
                for j in reversed(perm):
                    S += W * b[j]
                    W *= 1 - eta * a[j]
                qs.append(-eta * S)
            qs = np.array(qs)
            m = typed_moments(inst, np.array([eta, eta]))
            assert np.allclose(m.mean_q, qs.mean(), rtol=1e-12, atol=1e-15)
            assert np.allclose(m.var_q, qs.var(), rtol=1e-10, atol=1e-15)
            if inst.name.endswith("prop11"):
                e1 = equal_curvature_moments(1.0, b, np.array([eta]))
                assert np.allclose(e1.var_q, qs.var(), rtol=1e-12)


def test_incremental_closed_form_matches_step_by_step():
    parts = safran_thm8_parts(10, 1.0, 6.0)
    for K in (1, 3, 17):
        for eta in (0.01, 0.4, 1.5):
            total = 0.0
            for p in parts.parts:
                a, b = p.components()
                x = p.x0
                for _ in range(K):
                    for ai, bi in zip(a, b):
                        x -= eta * (ai * x + bi)
                c = p.centred()
                total += c.mean_curvature / 2 * (x - p.minimiser) ** 2
            got = expected_gap_float64(parts, np.array([eta]), K, "igd")[0]
            assert got == pytest.approx(total, rel=1e-10)


@pytest.mark.parametrize("algorithm,output", [("rr", "final"), ("ss", "final"), ("rr", "average"),
                                              ("igd", "final")])
def test_float64_agrees_with_mpmath(algorithm, output):
    insts = [safran_prop13(8, 1.0, 6.0), safran_prop11(10, 1.0, 6.0)] if algorithm != "igd" else \
        [safran_thm8_parts(10, 1.0, 6.0)]
    for inst in insts:
        for K in (1, 10, 100):
            etas = np.geomspace(1e-6, 1.5, 9)
            f64 = expected_gap_float64(inst, etas, K, algorithm, output)
            for e, v in zip(etas, f64):
                ref = expected_gap_mpmath(inst, float(e), K, algorithm, output)
                assert abs(v - float(ref)) <= 1e-12 * abs(float(ref)), (K, e, v, ref)


def test_float64_floor_switches_to_mpmath():
    """lam = 1e-300: eta ~ 1/lam overflows eta^2 and G^2 underflows in float64; the gap itself ~1e-300."""
    t = theorems.get("safran2020.prop11")
    small = t.observe({"n": 10, "K": 10, "lam": 1e-300, "G": 6e-300}, None)
    assert small.arithmetic == "mpmath"
    assert "mpmath" in small.details["precision"]
    ref = t.observe({"n": 10, "K": 10, "lam": 1.0, "G": 6.0}, None)
    assert ref.arithmetic == "exact"
    # the problem is scale-invariant: gap(lam = s, G = 6 s) = s * gap(1, 6)
    assert small.value / 1e-300 == pytest.approx(ref.value, rel=1e-8)


def test_observation_reports_measured_precision():
    t = theorems.get("safran2020.thm7")
    obs = t.observe({"n": 10, "K": 30, "lam": 1.0, "G": 6.0}, None)
    assert obs.arithmetic == "exact"
    assert obs.lo < obs.value < obs.hi and (obs.hi - obs.lo) / obs.value < 1e-10
    assert obs.details["eta_star"] > 0


def test_kink_construction_class_by_sampling():
    """Independent of the validator: sampled gradient differences of F lie in [mu, L] per coordinate, and
    component gradients deviate from F's by exactly sigma in norm."""
    from boundcheck.constructions.shuffling import cha_apb_instance, cha_rr_instance
    from boundcheck.simulators.shuffling import _kink_step

    rng = np.random.default_rng(3)
    for c in (cha_rr_instance(10, 1.0, 10.0, 1.0, 20), cha_apb_instance(10, 1.0, 10.0, 1.0, 20)):
        eta = 1.0  # one step with eta = 1: x - x' = grad f_i(x)
        x = rng.normal(size=(2000, 1)) * 0.1
        y = rng.normal(size=(2000, 1)) * 0.1

        def grad(v, w, s):
            nv, nw = _kink_step(v, w, s, np.array([[eta]]), c)
            return v - nv, w - nw

        gp = grad(x, y, 1.0)
        gm = grad(x, y, -1.0)
        gF = [(a + b) / 2 for a, b in zip(gp, gm)]
        dev = np.hypot(gp[0] - gF[0], gp[1] - gF[1])
        assert np.allclose(dev, c.sigma, rtol=1e-12)
        x2 = x + rng.normal(size=x.shape) * 0.1
        gF2 = [(a + b) / 2 for a, b in zip(grad(x2, y, 1.0), grad(x2, y, -1.0))]
        slope = (gF2[0] - gF[0]) / (x2 - x)
        assert np.all(slope >= c.mu - 1e-9) and np.all(slope <= c.L + 1e-9)


def test_conjecture_search_can_find_violations_outside_its_hypothesis():
    """eta = 1.5 (A_i indefinite, outside Conjecture 1): random search finds ||W_RS|| > ||W_GD|| (spec section 9),
    so the search is able to report a counterexample; float64 norms agree with the mpmath recomputation."""
    from boundcheck.simulators.shuffling import conj1_norms, conj1_norms_mp

    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(300):
        A = []
        for _ in range(2):
            Q, _ = np.linalg.qr(rng.normal(size=(2, 2)))
            A.append(np.eye(2) - 1.5 * Q @ np.diag(rng.uniform(0, 1, 2)) @ Q.T)
        A = np.array(A)
        ss, rs, gd = conj1_norms(A, 1)
        if rs / gd > worst:
            worst, worst_A = rs / gd, A
    assert worst > 1
    ss, rs, gd = conj1_norms_mp(worst_A, 1)
    assert rs / gd == pytest.approx(worst, rel=1e-12)


def test_kink_gap_started_at_the_minimiser_matches_a_direct_run():
    """kink_gap(start_at_minimiser=True): v0 = a/L (z0 = z* for the mirrored pair), against a plain loop over the
    same deterministic order; from x* at eta -> 0 the gap stays ~0 (no transient)."""
    import math
    from boundcheck.constructions.shuffling import KinkConstruction
    from boundcheck.simulators.shuffling import kink_gap

    for mirrored in (False, True):
        c = KinkConstruction(6, 1.0, 5.0, 1.0, 0.3, 0.0, mirrored=mirrored)
        eta, K = 0.07, 3
        got = kink_gap(c, np.array([eta]), K, "block", 1, 0, start_at_minimiser=True)["final"][0][0]
        sp_ = c.sigma / math.sqrt(2)
        v = c.a / c.L
        wz = -c.a / c.L if mirrored else 0.0  # z* = -a/L; w* = 0
        for _ in range(K):
            for s in [1.0] * 3 + [-1.0] * 3:
                gv = (c.mu * v if v < 0 else c.L * v) - c.a + sp_ * s
                if mirrored:
                    gz = (c.mu * wz if wz > 0 else c.L * wz) + c.a + sp_ * s
                else:
                    gz = c.L * wz + sp_ * s
                v, wz = v - eta * gv, wz - eta * gz
        def fv(x):
            return (c.L / 2 * x * x if x >= 0 else c.mu / 2 * x * x) - c.a * x
        ref = fv(v) - fv(c.a / c.L)
        if mirrored:
            fz = lambda z: (c.mu / 2 * z * z if z > 0 else c.L / 2 * z * z) + c.a * z
            ref += fz(wz) - fz(-c.a / c.L)
        else:
            ref += c.L / 2 * wz * wz
        assert got == pytest.approx(ref, rel=1e-9, abs=1e-15)
        tiny = kink_gap(c, np.array([1e-12]), K, "block", 1, 0, start_at_minimiser=True)["final"][0][0]
        assert tiny <= 1e-20


def test_typed_moments_three_paths_agree():
    """The lattice DP three ways: state by state on Python floats (small lattices), level by level in numpy (large
    lattices and arrays of step sizes), and state by state in mpmath. The same sums in another order: float64
    agrees to rounding, on the mean and on E[S^2] (checked through v + m^2, which does not cancel)."""
    import mpmath
    from boundcheck.constructions.shuffling import TypedQuadratic1D
    from boundcheck.simulators.shuffling import _MP

    rng = np.random.default_rng(3)
    for counts in ((5, 7), (3, 0, 4, 2), (20, 20, 2), (9, 9, 9, 9)):  # lattices of 48 to 10^4 states
        T = len(counts)
        inst = TypedQuadratic1D(tuple(rng.uniform(0.5, 4, T)), tuple(rng.uniform(-1, 1, T)), counts, 1.0)
        for eta in (0.003, 0.2):
            one = typed_moments(inst, eta)  # scalar: state by state when the lattice is small
            many = typed_moments(inst, np.array([eta, eta / 2]))  # numpy, level by level
            with mpmath.workdps(40):
                ref = typed_moments(inst, eta, _MP)
                second = ref.var_q + ref.mean_q ** 2
            for got in (one, many):
                m = float(np.asarray(got.mean_q).reshape(-1)[0])
                s2 = float(np.asarray(got.var_q + got.mean_q ** 2).reshape(-1)[0])
                assert m == pytest.approx(float(ref.mean_q), rel=1e-12, abs=1e-300)
                assert s2 == pytest.approx(float(second), rel=1e-12)
            half = typed_moments(inst, eta / 2)
            assert float(np.asarray(many.mean_q)[1]) == pytest.approx(float(half.mean_q), rel=1e-12)


def test_kink_gaps_rows_are_the_single_strategy_runs():
    """kink_gaps advances all strategies as rows of one state: each strategy's numbers are exactly (bit for bit)
    those of running it alone, the greedy oracle and the seeded random runs included."""
    from boundcheck.constructions.shuffling import KinkConstruction
    from boundcheck.simulators.shuffling import PERMUTATION_STRATEGIES, kink_gaps

    c = KinkConstruction(6, 1.0, 5.0, 1.0, 0.3, 0.0, mirrored=True)
    eta = np.array([0.01, 0.07, 0.3])
    together = kink_gaps(c, eta, 4, PERMUTATION_STRATEGIES, 50, 11)
    for s in PERMUTATION_STRATEGIES:
        alone = kink_gaps(c, eta, 4, (s,), 50, 11)[s]
        for output in ("final", "average"):
            assert np.array_equal(together[s][output][0], alone[output][0])
            assert np.array_equal(together[s][output][1], alone[output][1])


def test_bn_regression_targets_fixed_points_and_direct_runs():
    """wu2023 (docs/shuffling_bn.md): the ordered partitions are all n!/(B!)^(n/B) of them; SS's and RR's epoch-map
    fixed points approach their own targets like eta (not each other's); the direct runs (SGD itself for SS, the
    mean map over all n! permutations for RR) agree, and refuse a perturbed fixed point."""
    import math
    from boundcheck.simulators.shuffling import direct_bn_fixed_point, observe_bn_fixed_point, ordered_partitions

    assert len(ordered_partitions(6, 2)) == math.factorial(6) // 2 ** 3
    assert len(ordered_partitions(8, 4)) == math.factorial(8) // math.factorial(4) ** 2
    for alg in (1, 2):
        p = {"inv_eta": 100.0, "alg": alg, "n": 6, "B": 3}
        obs = observe_bn_fixed_point(p)
        assert obs.violation is None and obs.inconclusive is None
        assert obs.value < 0.1 and min(obs.details["target_distances"].values()) > 1e-3
        finer = observe_bn_fixed_point(dict(p, inv_eta=1000.0))
        assert finer.value == pytest.approx(obs.value / 10, rel=0.05)  # O(eta)
        assert direct_bn_fixed_point(p, obs) is None
        obs.details["W_star"] = [w * (1 + 1e-6) for w in obs.details["W_star"]]
        assert direct_bn_fixed_point(p, obs) is not None


def test_compiled_lattice_dp_is_bit_identical_to_the_python_loop():
    """simulators.compiled.typed_lattice_dp performs the Python loop's operations in its order: the same floats."""
    import random
    from boundcheck.simulators.shuffling import _typed_dp_compiled, _typed_dp_scalar
    rng = random.Random(7)
    for _ in range(300):
        T = rng.choice([2, 3, 4])
        counts = [rng.randint(1, {2: 16, 3: 6, 4: 3}[T]) for _ in range(T)]
        base = [1 - rng.uniform(1e-6, 1.9) * rng.random() for _ in range(T)]
        b = [rng.uniform(-3, 3) for _ in range(T)]
        assert _typed_dp_compiled(base, b, counts) == _typed_dp_scalar(base, b, counts, 0.0, 1.0)


@pytest.mark.parametrize("tid", ["cha2023.rr_sc_lb", "cha2023.apb_sc_lb", "cha2023.apb_c_lb"])
def test_compiled_kink_epochs_are_bit_identical_to_the_numpy_steps(tid):
    """kink_gaps and minibatch_kink_gap run their epochs compiled (simulators.compiled.kink_epoch, the greedy oracle
    included); the numpy step loop, kept as the reference, gives the same floats (NaN where it gives NaN)."""
    from boundcheck import theorems
    from boundcheck.simulators import shuffling as S
    t = theorems.get(tid)
    p = t.points("quick")[0]
    n, K = int(p["n"]), int(p["K"])
    mirrored = "apb" in tid
    if "D" in p:
        c = S.cha_convex_instance(n, p["L"], p["sigma"], p["D"], K, mirrored)
    else:
        c = (S.cha_apb_instance if mirrored else S.cha_rr_instance)(n, p["mu"], p["L"], p["sigma"], K)
    etas = np.geomspace(0.01 / (c.mu * n * K), 4 / p["L"], 12)
    strategies = S.PERMUTATION_STRATEGIES if mirrored else ("random",)
    ref = S.kink_gaps(c, etas, K, strategies, 40, 11, compiled=False)
    got = S.kink_gaps(c, etas, K, strategies, 40, 11)
    for s in strategies:
        for o in ref[s]:
            for i in (0, 1):
                assert np.array_equal(ref[s][o][i], got[s][o][i], equal_nan=True), (s, o, i)
    if not mirrored:
        for M, B in ((1, 1), (2, 1), (3, 2)):
            ref = S.minibatch_kink_gap(c, etas, K, M, B, 40, 5, compiled=False)
            got = S.minibatch_kink_gap(c, etas, K, M, B, 40, 5)
            assert all(np.array_equal(ref[o][i], got[o][i], equal_nan=True) for o in ref for i in (0, 1)), (M, B)


def test_mpfr_lattice_dp_equals_the_mpmath_loop():
    """typed_moments in mpmath runs the lattice DP on gmpy2.mpfr at mpmath's working precision
    (shuffling._typed_dp_mpfr): the same operations, each correctly rounded, so the same numbers as the mpmath loop."""
    import random
    import mpmath
    from boundcheck.simulators.shuffling import _typed_dp_mpfr, _typed_dp_scalar
    rng = random.Random(7)
    for dps in (30, 40, 50):
        with mpmath.workdps(dps):
            for _ in range(15):
                T = rng.randint(2, 4)
                counts = [rng.randint(1, 5) for _ in range(T)]
                eta = mpmath.mpf(rng.uniform(1e-3, 0.5))
                base = [1 - eta * rng.uniform(0.1, 3) for _ in range(T)]
                b = [rng.uniform(-2, 2) for _ in range(T)]
                assert _typed_dp_mpfr(base, b, counts) == _typed_dp_scalar(base, b, counts, mpmath.mpf(0),
                                                                             mpmath.mpf(1))


def test_fixed_order_moments_accumulations_equal_the_component_loop():
    """fixed_order_moments (float64) writes the loop S <- S + W b, W <- W (1 - eta a) (last component first) and the sum
    of log1p(-eta a) as sequential accumulations over the components: the same floats as the loop, for scalar and
    array step sizes."""
    from boundcheck.constructions.shuffling import TypedQuadratic1D
    from boundcheck.simulators.shuffling import fixed_order_moments

    def loop(inst, eta):
        a_i, b_i = inst.components()
        eta = np.asarray(eta, float)
        S, W = np.zeros_like(eta), np.ones_like(eta)
        for x, y in zip(a_i[::-1], b_i[::-1]):
            S = S + W * y
            W = W * (1 - eta * x)
        with np.errstate(all="ignore"):
            ok = np.all([eta * x < 1 for x in a_i], axis=0)
            lsum = sum(np.log1p(-np.where(ok, eta * x, 0.0)) for x in a_i)
            return W, np.where(ok, -np.expm1(lsum), 1 - W), -eta * S

    rng = np.random.default_rng(11)
    for _ in range(60):
        T = int(rng.integers(1, 4))
        counts = tuple(int(c) for c in rng.integers(1, 20, T))
        order = tuple(int(x) for x in rng.permutation(np.repeat(np.arange(T), counts)))
        inst = TypedQuadratic1D(tuple(float(x) for x in rng.uniform(0.01, 5, T)),
                                tuple(float(x) for x in rng.normal(size=T)), counts, 1.0, order)
        for eta in (float(rng.uniform(1e-4, 1)), np.exp(rng.uniform(-9, 0, 7)), np.array([3.0, 1e-3])):
            with np.errstate(all="ignore"):
                m = fixed_order_moments(inst, eta)
            for want, got in zip(loop(inst, eta), (m.P, m.one_minus_P, m.mean_q)):
                assert np.shape(want) == np.shape(got) and np.array_equal(want, got, equal_nan=True)


def test_mpmath_products_on_lists_equal_mpmath_matrix_arithmetic():
    """simulators.mp_matmul / mp_power compute what mpmath.matrix products compute (mpmath.fdot per entry), and the
    SEG step matrix on lists is the mpmath.matrix expression I - beta Q + alpha beta Q Q, beta (t - alpha Q t)."""
    import mpmath
    from boundcheck.simulators import matrix_power_mp, mp_matmul
    from boundcheck.simulators.minimax import seg_step_matrix
    rng = np.random.default_rng(13)
    with mpmath.workdps(40):
        for _ in range(10):
            d = int(rng.integers(1, 5))
            A, B = (mpmath.matrix(rng.normal(size=(d, d)).tolist()) for _ in range(2))
            assert mp_matmul(A.tolist(), B.tolist()) == (A * B).tolist()
            K = int(rng.integers(1, 40))
            power, base, k = mpmath.eye(d), A, K  # repeated squaring on mpmath.matrix, the same products in order
            while k:
                if k & 1:
                    power = power * base
                k >>= 1
                if k:
                    base = base * base
            assert matrix_power_mp(A, K).tolist() == power.tolist()
            t = mpmath.matrix(rng.normal(size=(d, 1)).tolist())
            al, be = mpmath.mpf(float(rng.uniform(0, 1))), mpmath.mpf(float(rng.uniform(0, 1)))
            lin = mpmath.eye(d) - be * A + al * be * A * A
            aff = be * (t - al * (A * t))
            G = seg_step_matrix(A, t, al, be, lib=mpmath)
            assert [G[i, j] for i in range(d) for j in range(d)] == [lin[i, j] for i in range(d) for j in range(d)]
            assert [G[i, d] for i in range(d)] == [aff[i] for i in range(d)]
            assert G[d, d] == 1 and all(G[d, j] == 0 for j in range(d))
