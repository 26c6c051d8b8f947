"""Matching a reader's question to the briefs, in stages that each read one way:

- `analyze`: the question read once (words, stems' skeletons, classes, intent);
- `index`: the briefs' words by stable id, built from the library;
- `lookup`: each question word's index words (exact, stem, cross-language, figure, typo);
- `rank`: candidates and comparable scores, best first (`Matcher` ties the stages);
- `decide`: answer / did-you-mean / none, its numbers in one place (`Thresholds`).

docs/matching.md describes the whole.
"""

from .analyze import Intent, Question, Word, analyze, question_words
from .decide import Match, MatchResult, Outcome, Thresholds, _Scores, decide
from .index import BriefIndex
from .lookup import max_edits, token_cutoff
from .rank import Matcher, closest_ids

__all__ = ["BriefIndex", "Intent", "Match", "MatchResult", "Matcher", "Outcome", "Question",
           "Thresholds", "Word", "_Scores", "analyze", "closest_ids", "decide", "max_edits",
           "question_words", "token_cutoff"]
