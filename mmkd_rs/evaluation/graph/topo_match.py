"""TOPO matching: marbles in turn fill the nearest empty hole within the hole size.

For one start node, marbles are taken in order (sub-graph nodes in node
order, then edge points in edge order); each fills its nearest still-empty
hole within ``radius`` m (ties: the lower hole index) or is a false
positive. :func:`match_count` does this for one start; :func:`match_counts`
for every start at once, with the same result.

:func:`match_counts` finds the candidate pairs of all starts with one k-d
tree query between the two graphs' catalogue points, then fills holes in
rounds: in each round every unmatched marble proposes its nearest empty
candidate, and a proposal is taken when no earlier unmatched marble of the
same start still has that hole among its candidates (no earlier marble can
take it any more, and later ones come after). The first unmatched marble of
every start always succeeds, so the rounds end; the order of the one-by-one
rule is kept exactly.
"""
from typing import List

import numpy as np
from scipy.sparse import csr_matrix
from scipy.spatial import cKDTree


def match_count(holes: np.ndarray, marbles: np.ndarray, radius: float) -> int:
    """Marbles in order each fill the nearest empty hole within ``radius``; filled holes."""
    if len(holes) == 0 or len(marbles) == 0:
        return 0
    pairs = cKDTree(marbles).sparse_distance_matrix(cKDTree(holes), radius,
                                                    output_type='ndarray')
    if len(pairs) == 0:
        return 0
    pairs = pairs[np.lexsort((pairs['j'], pairs['v'], pairs['i']))]
    return int(_fill_in_rounds(pairs['i'], pairs['j'], np.zeros(len(pairs), np.int64), 1)[0])


def match_counts(holes_of, hole_ids: List[np.ndarray], marbles_of,
                 marble_ids: List[np.ndarray], radius: float) -> np.ndarray:
    """(S,) filled holes of S starts.

    Args:
        holes_of, marbles_of: the two graphs' ``topo.LocalGraph`` (their
            ``catalogue``, ``catalogue_tree`` and ``order_key`` are used).
        hole_ids, marble_ids: per start, the catalogue ids of its holes and of
            its marbles, each in matching order.
        radius: hole size (m).
    """
    num = len(hole_ids)
    filled = np.zeros(num, np.int64)
    pairs = marbles_of.catalogue_tree.sparse_distance_matrix(
        holes_of.catalogue_tree, radius, output_type='ndarray')
    if len(pairs) == 0 or num == 0:
        return filled
    # (start, pair) combinations: the pair's marble and hole both belong to the start
    holes = _membership(hole_ids, len(holes_of.catalogue)).tocsc()[:, pairs['j']]
    marbles = _membership(marble_ids, len(marbles_of.catalogue)).tocsc()[:, pairs['i']]
    both = holes.multiply(marbles).tocoo()
    start, pair = both.row.astype(np.int64), both.col
    if len(pair) == 0:
        return filled
    marble_key = marbles_of.order_key[pairs['i'][pair]]
    hole_key = holes_of.order_key[pairs['j'][pair]]
    order = np.lexsort((hole_key, pairs['v'][pair], marble_key, start))
    start, marble_key, hole_key = start[order], marble_key[order], hole_key[order]
    marble = np.unique(start * len(marbles_of.catalogue) + marble_key, return_inverse=True)[1]
    hole = np.unique(start * len(holes_of.catalogue) + hole_key, return_inverse=True)[1]
    return _fill_in_rounds(marble.reshape(-1), hole.reshape(-1), start, num)


def _membership(ids: List[np.ndarray], size: int) -> csr_matrix:
    """(S, size) 0/1 matrix: row s marks ``ids[s]``."""
    rows = np.repeat(np.arange(len(ids)), [len(i) for i in ids])
    cols = np.concatenate(ids) if ids else np.zeros(0, np.int64)
    return csr_matrix((np.ones(len(cols), np.int8), (rows, cols)), shape=(len(ids), size))


def _fill_in_rounds(marble: np.ndarray, hole: np.ndarray, start: np.ndarray,
                    num: int) -> np.ndarray:
    """(num,) filled holes per start; candidates sorted by marble (its order), then by
    preference; marble and hole ids are global (unique across starts)."""
    filled = np.zeros(num, np.int64)
    taken = np.zeros(int(hole.max()) + 1, bool)
    done = np.zeros(int(marble.max()) + 1, bool)
    alive = np.arange(len(marble))
    while len(alive):
        m, h = marble[alive], hole[alive]
        proposal = alive[np.r_[True, m[1:] != m[:-1]]]
        # the earliest marble still listing each hole (candidates are in marble order)
        _, first = np.unique(h, return_index=True)
        earliest = np.empty(len(taken), np.int64)
        earliest[h[first]] = m[first]
        won = proposal[earliest[hole[proposal]] == marble[proposal]]
        taken[hole[won]] = True
        done[marble[won]] = True
        filled += np.bincount(start[won], minlength=num)
        alive = alive[~taken[h] & ~done[m]]
    return filled
