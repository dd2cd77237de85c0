"""Symbolic bounds: a SymPy expression plus everything needed to read it correctly.

A :class:`Bound` says *what* a theorem asserts about *which* measured quantity, with which constants and in
which regime. It is pure: it builds and evaluates SymPy expressions and nothing else.

Conventions
-----------
* ``kind``: ``"lower"`` (observed >= bound), ``"upper"`` (observed <= bound) or ``"tight"`` (both, up to
  constants).
* ``constant``: ``"explicit"`` when the expression is the bound itself, every constant written out;
  ``"hidden"`` when it is a shape inside Omega(.) / O(.) / Theta(.) with an unspecified universal constant.
* ``log_factor``: for O~ / Omega~ statements, the polylog the tilde hides (or, for a lower bound, the polylog by
  which the construction's best response is known to exceed the shape). Hidden-constant checks divide it out
  (upper bounds) or allow it as upward drift of the fitted exponent (lower bounds).
"""
from __future__ import annotations

if __name__ == "bounds":  # the folder imported from a checkout, outside the boundcheck namespace
    raise ImportError("boundcheck's packages install as boundcheck.bounds (pip install -e .); "
                      "import boundcheck.bounds, not bounds")

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Literal, Mapping

import sympy as sp
import re

from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

# lower / upper / tight: observed >= / <= / both a bound (explicit) or a shape (hidden constant); exact: an exact
# limit, fixed point or identity, observed == the formula within the observation's band (explicit constant only)
Kind = Literal["lower", "upper", "tight", "exact"]
ConstantKind = Literal["explicit", "hidden"]
Provenance = Literal["read", "recalled", "derived", "abstract", "code", "summary"]

PROVENANCE_MEANING: dict[str, str] = {
    "read": "statement read in the paper (verbatim in substance)",
    "code": "taken from the authors' public experiment code",
    "abstract": "only the abstract was reachable; the form is consistent with it",
    "summary": "stated consistently by secondary summaries of the paper or by the authors' poster (full text "
               "unreachable): rate form "
               "reliable, constants, side conditions and step-size ranges unconfirmed",
    "recalled": "theorem form recalled from memory of the paper; constants and numbering unverified",
    "derived": "derived and simulated here; not necessarily the paper's own statement or construction",
}


LATEX_NAMES = {"lam": r"\lambda", "x0sq": r"\|x_0 - x^*\|^2", "sigma_star_sq": r"\sigma_*^2", "kappa": r"\kappa"}


def pick(table: Mapping[str, "SymbolSpec"], *names: str) -> tuple["SymbolSpec", ...]:
    """The declared symbols ``names`` from a family's symbol table, in order."""
    return tuple(table[x] for x in names)


class BoundError(ValueError):
    """A bound, formula or parameter value that cannot be used. The message names the culprit."""


@dataclass(frozen=True)
class SymbolSpec:
    """A declared symbol: its name, meaning and allowed domain.

    ``lower``/``upper`` are inclusive unless ``lower_open``/``upper_open``; ``integer`` restricts to Z.
    """

    name: str
    meaning: str
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    upper_open: bool = False
    integer: bool = False

    def domain_text(self) -> str:
        parts = []
        if self.lower is not None:
            parts.append(f"{self.name} {'>' if self.lower_open else '>='} {_fmt(self.lower)}")
        if self.upper is not None:
            parts.append(f"{self.name} {'<' if self.upper_open else '<='} {_fmt(self.upper)}")
        text = " and ".join(parts) if parts else f"{self.name} real"
        return text + (" (integer)" if self.integer else "")

    def validate(self, value: float) -> None:
        """Raise :class:`BoundError` naming the parameter, its value and the allowed range."""
        bad = False
        try:
            v = float(value)
        except (TypeError, ValueError):
            raise BoundError(f"parameter {self.name}={value!r} is not a number; allowed: {self.domain_text()}")
        if v != v or v in (float("inf"), float("-inf")):
            raise BoundError(f"parameter {self.name}={v} is not a finite number; allowed: {self.domain_text()}")
        if abs(v) > 1e15:
            raise BoundError(f"parameter {self.name}={v:g} is too large to simulate (|value| <= 1e15); allowed: "
                             f"{self.domain_text()}")
        if self.integer and v != int(v):
            bad = True
        if self.lower is not None and (v < self.lower or (self.lower_open and v == self.lower)):
            bad = True
        if self.upper is not None and (v > self.upper or (self.upper_open and v == self.upper)):
            bad = True
        if bad:
            raise BoundError(f"parameter {self.name}={_fmt(v)} is outside its allowed range: {self.domain_text()}")


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e15 else f"{x:g}"


@lru_cache(maxsize=8192)
def _symbol_names(expr: sp.Basic) -> tuple[str, ...]:
    """The sorted names of an expression's free symbols (SymPy walks the whole tree at each ask: kept per process)."""
    return tuple(sorted(s.name for s in expr.free_symbols))


@dataclass(frozen=True)
class Regime:
    """A theorem's side condition on its grid parameters, as a SymPy boolean over the bound's symbols, e.g.
    ``K >= L/mu``; ``sympy.true`` only where the paper states no condition on them (``note`` then says so).

    ``note`` records what the condition cannot say (a restriction imposed on the adversary, a proviso on instances).
    The condition is evaluated in floating point (compiled once, like the bounds), the arithmetic the grids are
    written in: ``eta <= 1/L`` holds at eta = 0.1, L = 10. From it come the grid filter, the per-point INCONCLUSIVE
    reason ("outside the regime: K >= 400 fails at K = 40") and ``show``'s text. No lambdas: a Theorem pickles."""

    condition: sp.Basic = sp.true
    note: str = ""
    label: str = ""  # how to print a condition whose SymPy form is long (a finite set of allowed values)

    def __post_init__(self) -> None:
        if not isinstance(self.condition, sp.logic.boolalg.Boolean):
            raise BoundError(f"a regime is a SymPy relational or boolean, got {self.condition!r}")

    @property
    def text(self) -> str:
        parts = self.condition.args if isinstance(self.condition, sp.And) else (self.condition,)
        cond = ("no condition on the parameters" if self.condition is sp.true
                else self.label or " and ".join(sp.sstr(c) for c in parts))
        return cond + (f" ({self.note})" if self.note else "")

    @property
    def symbols(self) -> tuple[str, ...]:
        return _symbol_names(self.condition)

    def holds(self, params: Mapping[str, float]) -> bool:
        if self.condition is sp.true:
            return True
        missing = [k for k in self.symbols if k not in params]
        if missing:
            raise BoundError(f"the regime {self.text} needs {missing}, which the point {dict(params)} does not give")
        return bool(_compiled_condition(self.condition, self.symbols)(*(float(params[k]) for k in self.symbols)))

    def failure(self, params: Mapping[str, float]) -> str:
        """Why a point is outside the regime, naming the failing condition and the point's values."""
        parts = self.condition.args if isinstance(self.condition, sp.And) else (self.condition,)
        failing = [c for c in parts if not Regime(c).holds(params)] or [self.condition]
        at = ", ".join(f"{k} = {_fmt(float(params[k]))}" for k in sorted({s.name for c in failing
                                                                          for s in c.free_symbols}))
        what = self.label or " and ".join(sp.sstr(c) for c in failing)
        return f"outside the regime: {what} fails at {at}"


def one_of(name: str, values) -> sp.Basic:
    """The SymPy condition ``name`` is one of ``values`` (a grid thinning written as data, not a lambda)."""
    x = sp.Symbol(name)
    return sp.Or(*[sp.Eq(x, sp.Float(float(v)) if not float(v).is_integer() else sp.Integer(int(v))) for v in values])


@lru_cache(maxsize=1024)
def _compiled_condition(condition: sp.Basic, names: tuple[str, ...]) -> Callable[..., bool]:
    return sp.lambdify([sp.Symbol(n) for n in names], condition, modules=["math"])


@dataclass(frozen=True)
class Source:
    """Where a statement comes from, and how sure we are of it."""

    paper: str
    theorem: str
    arxiv: str | None
    provenance: Provenance
    venue: str = ""
    note: str = ""

    def citation(self) -> str:
        ax = f", arXiv:{self.arxiv}" if self.arxiv else ""
        return f"{self.paper} ({self.venue}{ax}), {self.theorem}"


@dataclass(frozen=True)
class Bound:
    """A theorem's bound.

    expr        the SymPy expression (the bound itself if ``constant == 'explicit'``, else the shape).
    symbols     every symbol the expression may use, with its domain (grid and instance parameters).
    quantity    the measured quantity, e.g. ``E[F(x_K) - F*]`` of the final iterate.
    """

    expr: sp.Expr
    kind: Kind
    constant: ConstantKind
    quantity: str
    symbols: tuple[SymbolSpec, ...]
    log_factor: sp.Expr = sp.Integer(1)
    constant_note: str = ""

    def __post_init__(self) -> None:
        unknown = {s.name for s in self.expr.free_symbols} - set(self.symbol_names)
        if unknown:
            raise BoundError(f"bound uses undeclared symbols {sorted(unknown)}")
        if self.kind == "exact" and self.constant != "explicit":
            raise BoundError("an exact statement (kind 'exact') has an explicit formula, not a hidden constant")

    @property
    def symbol_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.symbols)

    def evaluate(self, params: Mapping[str, float], expr: sp.Expr | None = None) -> float:
        """Evaluate ``expr`` (default: the bound) at ``params`` in 30-digit arithmetic, returned as float.

        The expression is compiled once per process (``sympy.lambdify`` to mpmath, :func:`compiled`) and run at 30
        digits on the parameters as mpmath floats: the same values as SymPy's ``subs(...).evalf(30)`` (tested at
        every quick-grid point of the catalogue to 1e-13 relative) at a twentieth of the cost. A division by zero,
        a complex value or a missing symbol raise :class:`BoundError`."""
        e = self.expr if expr is None else expr
        names = _symbol_names(e)
        missing = set(names) - {k for k in params if k in self.symbol_names}
        if missing:
            raise BoundError(f"cannot evaluate bound: no value for {sorted(missing)}")
        import mpmath
        with mpmath.workdps(30):
            try:
                val = compiled(e, names)(*(mpmath.mpf(float(params[k])) for k in names))
            except ZeroDivisionError:
                raise BoundError(f"bound {e} divides by zero at {dict(params)}") from None
            if isinstance(val, mpmath.mpc) or isinstance(val, complex):
                if mpmath.im(val) != 0:
                    raise BoundError(f"bound {e} does not evaluate to a real number at {dict(params)}")
                val = mpmath.re(val)
            try:
                return float(val)
            except TypeError as exc:
                raise BoundError(f"bound {e} does not evaluate to a real number at {dict(params)}") from exc

    def evaluate_log_factor(self, params: Mapping[str, float]) -> float:
        return self.evaluate(params, self.log_factor)

    def latex(self, expr: sp.Expr | None = None) -> str:
        names = {sp.Symbol(k): v for k, v in LATEX_NAMES.items()}
        return sp.latex(self.expr if expr is None else expr, symbol_names=names)

    def notation(self) -> str:
        """Omega / O / Theta notation for hidden constants, the expression itself otherwise."""
        if self.constant == "explicit":
            return str(self.expr)
        head = {"lower": "Omega", "upper": "O", "tight": "Theta"}[self.kind]
        tilde = "~" if self.log_factor != 1 else ""
        return f"{head}{tilde}({self.expr})"


@lru_cache(maxsize=8192)
def compiled(expr: sp.Expr, names: tuple[str, ...]) -> Callable[..., object]:
    """``expr`` as an mpmath function of the symbols ``names`` (in that order), compiled once per process.
    An expression the mpmath printer cannot write (a literal ``zoo``, say) falls back to SymPy's
    ``subs(...).evalf(30)``, which is what the compiled function reproduces."""
    symbols = [sp.Symbol(n) for n in names]
    try:
        return sp.lambdify(symbols, expr, modules=["mpmath"])
    except Exception:  # the printer's KeyError/TypeError/...: evaluate symbolically instead
        def by_substitution(*values: object) -> object:
            value = expr.subs({s: sp.Float(str(v), 30) for s, v in zip(symbols, values)}).evalf(30)
            if value.is_real is False or value.has(sp.zoo, sp.nan):
                raise ZeroDivisionError(f"{expr} is not a real number here")
            return value
        return by_substitution


_TRANSFORMS = standard_transformations + (convert_xor,)
_SAFE_GLOBALS = {"Integer": sp.Integer, "Float": sp.Float, "Rational": sp.Rational, "Symbol": sp.Symbol}
_FUNCTIONS = {"min": sp.Min, "max": sp.Max, "Min": sp.Min, "Max": sp.Max, "log": sp.log, "exp": sp.exp,
              "sqrt": sp.sqrt, "Abs": sp.Abs, "abs": sp.Abs, "pi": sp.pi, "E": sp.E,
              "Heaviside": sp.Heaviside, "ceiling": sp.ceiling, "floor": sp.floor, "binomial": sp.binomial,
              "cosh": sp.cosh, "sinh": sp.sinh, "tanh": sp.tanh, "asinh": sp.asinh,
              "factorial": sp.factorial}


def parse_formula(text: str, allowed: tuple[str, ...]) -> sp.Expr:
    """Parse a user formula over the ``allowed`` symbol names. Raises :class:`BoundError` on bad input.

    Accepts SymPy syntax plus ``^`` for powers and ``min``/``max``.
    """
    if not text or not text.strip():
        raise BoundError("--formula is empty")
    names = set(re.findall(r"[A-Za-z_][A-Za-z_0-9]*", re.sub(r"\d+\.?\d*[eE][+-]?\d+", "0", text)))
    unknown = sorted(names - set(allowed) - set(_FUNCTIONS))
    if unknown:
        raise BoundError(f"--formula {text!r} uses unknown symbols {unknown}; allowed: {sorted(allowed)}")
    local = {name: sp.Symbol(name) for name in allowed}
    local.update({k: v for k, v in _FUNCTIONS.items() if k not in local})
    try:
        expr = parse_expr(text, local_dict=local, global_dict=dict(_SAFE_GLOBALS), transformations=_TRANSFORMS,
                          evaluate=True)
    except Exception as exc:  # SymPy raises many kinds; all mean "unparsable"
        raise BoundError(f"--formula {text!r} cannot be parsed: {type(exc).__name__}: {exc}") from None
    if not isinstance(expr, sp.Expr):
        raise BoundError(f"--formula {text!r} is not an expression")
    unknown = sorted(str(s) for s in expr.free_symbols if str(s) not in allowed)
    if unknown:
        raise BoundError(f"--formula {text!r} uses unknown symbols {unknown}; allowed: {sorted(allowed)}")
    return expr
