"""Lagrange and Hermite interpolation of tabulated states (CCSDS OEM, propagated tables), vectorized.

For each query time a window of ``k`` consecutive nodes, centred on the query, is used:

* Lagrange of degree ``d``: ``k = d + 1`` nodes; positions and velocities interpolated separately.
* Hermite of degree ``d``: ``k = (d + 1) // 2`` nodes, positions and velocities together (a polynomial
  of degree ``2k - 1`` matching both); velocity is its derivative.

When a table has fewer nodes than the degree needs, the degree is lowered to what the table allows.
"""

from __future__ import annotations

import numpy as np


def _windows(nodes: np.ndarray, t: np.ndarray, k: int) -> np.ndarray:
    """Index arrays (n, k) of the k nodes around each query time."""
    i = np.searchsorted(nodes, t)
    first = np.clip(i - k // 2, 0, nodes.size - k)
    return first[:, None] + np.arange(k)[None, :]


def _lagrange_basis(tw: np.ndarray, t: np.ndarray) -> np.ndarray:
    """L_j(t) for windows tw (n, k) and times t (n,): (n, k)."""
    k = tw.shape[1]
    diff_t = t[:, None] - tw  # (n, k)
    denom = tw[:, :, None] - tw[:, None, :]  # (n, k, k)
    eye = np.eye(k, dtype=bool)
    denom[:, eye] = 1.0
    num = np.broadcast_to(diff_t[:, None, :], denom.shape).copy()
    num[:, eye] = 1.0
    return np.prod(num / denom, axis=2)


def lagrange(nodes: np.ndarray, values: np.ndarray, t: np.ndarray, degree: int) -> np.ndarray:
    """Interpolate values (n_nodes, c) at times t (n,) -> (n, c)."""
    k = min(degree + 1, nodes.size)
    idx = _windows(nodes, t, k)
    tw = nodes[idx]
    scale = np.maximum(tw[:, -1] - tw[:, 0], 1e-9)[:, None]
    centre = tw[:, :1]
    basis = _lagrange_basis((tw - centre) / scale, (t[:, None] - centre)[:, 0] / scale[:, 0])
    return np.einsum("nk,nkc->nc", basis, values[idx])


def hermite(nodes: np.ndarray, pos: np.ndarray, vel: np.ndarray, t: np.ndarray, degree: int):
    """Hermite interpolation of positions (n_nodes, 3) with their derivatives vel: returns (pos, vel) at t."""
    k = max(2, min((degree + 1) // 2, nodes.size))
    idx = _windows(nodes, t, k)
    centre = nodes[idx][:, :1]
    scale = np.maximum(nodes[idx][:, -1:] - centre, 1e-9)
    tw = (nodes[idx] - centre) / scale  # (n, k) in [0, 1]
    x = (t[:, None] - centre)[:, 0] / scale[:, 0]  # (n,)
    p = pos[idx]  # (n, k, 3)
    v = vel[idx] * scale[:, :, None]  # derivatives in scaled time
    eye = np.eye(k, dtype=bool)
    d = tw[:, :, None] - tw[:, None, :]
    d[:, eye] = np.inf
    lp_node = np.sum(1.0 / d, axis=2)  # L_j'(t_j), (n, k)
    big_l = _lagrange_basis(tw, x)  # (n, k)
    # L_j'(x) = sum_m prod_{l != j, m} (x - t_l) / prod_{l != j} (t_j - t_l), robust at the nodes.
    diff_x = x[:, None] - tw  # (n, k)
    denom = tw[:, :, None] - tw[:, None, :]
    denom[:, eye] = 1.0
    denom_j = np.prod(denom, axis=2)  # (n, k)
    dl = np.zeros_like(big_l)
    for m in range(k):
        keep = np.ones(k, dtype=bool)
        keep[m] = False
        for j in range(k):
            if j == m:
                continue
            mask = keep.copy()
            mask[j] = False
            dl[:, j] += np.prod(diff_x[:, mask], axis=1)
    dl /= denom_j
    dx = (x[:, None] - tw)  # (n, k)
    a = 1.0 - 2.0 * lp_node * dx
    l2 = big_l**2
    out_p = np.einsum("nk,nkc->nc", a * l2, p) + np.einsum("nk,nkc->nc", dx * l2, v)
    dl2 = 2.0 * big_l * dl
    da = -2.0 * lp_node
    out_v = (np.einsum("nk,nkc->nc", da * l2 + a * dl2, p) + np.einsum("nk,nkc->nc", l2 + dx * dl2, v))
    return out_p, out_v / scale


def interpolate_states(method: str, degree: int, nodes, pos, vel, t):
    """Positions and velocities (n, 3) at t from tabulated nodes, by CCSDS method name."""
    method = method.upper()
    if method == "HERMITE":
        return hermite(nodes, pos, vel, t, degree)
    if method == "LINEAR":
        degree = 1
    return lagrange(nodes, pos, t, degree), lagrange(nodes, vel, t, degree)
