"""Generated tables inside hand-written Markdown files.

A README holds a generated table between two HTML comments (invisible when
rendered)::

    <!-- leaderboard:changedet-levir-quick:start -->
    ... replaced by tools/leaderboard.py ...
    <!-- leaderboard:changedet-levir-quick:end -->

``<name>`` is a leaderboard name (or one of its ``aliases``).
``<name>@<method>`` keeps only the rows of
that method plus the teacher and student-alone reference rows (for a method's
``configs/<method>/README.md``).  Each marker stands alone on its line; a
marker quoted inside a sentence or a fenced code block is left alone, so the
convention can be documented in the files it applies to.  Everything outside
the markers is kept byte for byte; a file without markers is not touched.
"""
import re
from typing import Callable, List, Optional, Tuple

__all__ = ['MarkerError', 'MARKER_RE', 'start_marker', 'end_marker', 'find_blocks',
           'rewrite_blocks']

MARKER_RE = re.compile(r'<!-- leaderboard:(?P<key>[A-Za-z0-9_.\-]+(?:@[A-Za-z0-9_.\-]+)?)'
                       r':(?P<kind>start|end) -->')


class MarkerError(ValueError):
    """Unbalanced or nested markers; the message names the file and line."""


def start_marker(key: str) -> str:
    return f'<!-- leaderboard:{key}:start -->'


def end_marker(key: str) -> str:
    return f'<!-- leaderboard:{key}:end -->'


def _marker_lines(text: str):
    """``(match, line number)`` of markers standing alone on a line outside
    fenced code blocks (a marker quoted in prose or in a code example is
    documentation, not a block)."""
    pos, in_fence = 0, False
    for lineno, line in enumerate(text.splitlines(keepends=True), 1):
        stripped = line.strip()
        if stripped.startswith('```') or stripped.startswith('~~~'):
            in_fence = not in_fence
        elif not in_fence:
            match = MARKER_RE.fullmatch(stripped)
            if match:
                start = pos + line.index(stripped)
                yield MARKER_RE.match(text, start), lineno
        pos += len(line)


def find_blocks(text: str, source: str = '<text>') -> List[Tuple[str, int, int]]:
    """``(key, content_start, content_end)`` of each marked block.

    A marker counts when it is alone on its line and outside fenced code.

    Raises:
        MarkerError: a start without its end, an end without a start, or a
            block opened inside another.
    """
    blocks, open_key, open_at, open_pos = [], None, 0, 0
    for match, line in _marker_lines(text):
        key, kind = match.group('key'), match.group('kind')
        if kind == 'start':
            if open_key is not None:
                raise MarkerError(f'{source}:{line}: "{key}" starts inside block '
                                  f'"{open_key}" opened at line {open_at}')
            open_key, open_at, open_pos = key, line, match.end()
        else:
            if open_key != key:
                raise MarkerError(f'{source}:{line}: end marker of "{key}" without its '
                                  'start marker' + (f' (block "{open_key}" is open)'
                                                    if open_key else ''))
            blocks.append((key, open_pos, match.start()))
            open_key = None
    if open_key is not None:
        raise MarkerError(f'{source}:{open_at}: block "{open_key}" has no end marker '
                          f'({end_marker(open_key)})')
    return blocks


def rewrite_blocks(text: str, render: Callable[[str, Optional[str]], Optional[str]],
                   source: str = '<text>') -> Tuple[str, List[str]]:
    """Replace each block's content with ``render(name, method)``.

    ``render`` returns the new content, or None to leave that block as it is
    (e.g. a leaderboard this run did not produce).

    Returns:
        (new text, keys of the blocks that were left as they are)
    """
    pieces, last, skipped = [], 0, []
    for key, start, end in find_blocks(text, source):
        name, _, method = key.partition('@')
        content = render(name, method or None)
        if content is None:
            skipped.append(key)
            continue
        pieces += [text[last:start], '\n', content.strip('\n'), '\n']
        last = end
    pieces.append(text[last:])
    return ''.join(pieces), skipped
