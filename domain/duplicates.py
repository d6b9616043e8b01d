"""Duplicate detection (防止重复) for Chinese text with character bigrams.

Every suggestion's fingerprint (its title bigrams and a fixed quarter of its body bigrams, chosen by
hash so that the same bigram is kept in every text) is stored in `text_fingerprint` by a flush
listener, whatever path changed the text. Each process keeps an inverted index of those rows in
memory and, before each check, reads the rows changed since (ordered by `seq`, a NumberCounter
series), so every process answers from what the database holds. Scores are tf-idf cosines.
"""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import event, func, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload

from domain.access import suggestion_scope
from domain.numbering import next_number
from models import Suggestion, TextFingerprint, User, db

SAMPLE_MASK = 3  # keep body bigrams whose hash ends in 00: a quarter of them
COMMON_SHARE = 0.05  # bigrams in more than 5% of the texts carry no weight ("建议", "关于", …)
REBUILD_AFTER = 2000  # changed texts kept aside before the index is rebuilt
CANDIDATES = 50
MIN_SCORE = 0.08
YEARS_BACK = 2  # the same session, and this year and the two before
_RUN = re.compile(r"[\u3400-\u9fff]+|[a-z0-9]+")
_SENTENCE = re.compile(r"[^。！？；;!?\n]+[。！？；;!?]?")
TEXT_FIELDS = ("title", "body", "year", "session_id")


def _pairs(text: str) -> list[int]:
    keys = []
    for run in _RUN.findall(text.lower()):
        keys.extend((ord(a) << 21) | ord(b) for a, b in zip(run, run[1:]))
    return keys


def _kept(key: int) -> bool:
    return ((key * 0x9E3779B97F4A7C15) >> 20) & SAMPLE_MASK == 0


def fingerprint(title: str, body: str) -> np.ndarray:
    """Sorted unique bigram keys: every title bigram, a hashed quarter of the body's."""
    keys = set(_pairs(title))
    keys.update(key for key in _pairs(body) if _kept(key))
    return np.array(sorted(keys), dtype=np.int64)


# --- keeping the fingerprints in step with the suggestions -----------------------------------------


def _upsert_statement(dialect: str, values: dict):
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(TextFingerprint).values(**values)
    return statement.on_conflict_do_update(
        index_elements=[TextFingerprint.suggestion_id], set_={k: v for k, v in values.items() if k != "suggestion_id"}
    )


def _text_changed(obj: Suggestion, is_new: bool) -> bool:
    state = inspect(obj)
    return is_new or any(state.attrs[name].history.has_changes() for name in TEXT_FIELDS)


def _store_fingerprints(session: Session, flush_context) -> None:
    changed = [o for o in session.new if isinstance(o, Suggestion)]
    changed += [o for o in session.dirty if isinstance(o, Suggestion) and _text_changed(o, False)]
    if changed:
        store_fingerprints(session, changed)


def listen() -> None:
    if not event.contains(Session, "after_flush", _store_fingerprints):
        event.listen(Session, "after_flush", _store_fingerprints)


def store_fingerprints(session: Session, suggestions) -> None:
    """Write (or rewrite) the fingerprints of these suggestions, each with the next `seq`."""
    connection = session.connection()
    for suggestion in suggestions:
        values = {
            "suggestion_id": suggestion.id, "seq": next_number(connection, "text_fingerprint"),
            "year": suggestion.year, "session_id": suggestion.session_id,
            "grams": fingerprint(suggestion.title or "", suggestion.body or "").astype("<i8").tobytes(),
        }
        connection.execute(_upsert_statement(connection.dialect.name, values))


# --- the in-memory index ----------------------------------------------------------------------------


@dataclass
class _Doc:
    grams: np.ndarray
    year: int
    session_id: int


class _Index:
    """An inverted index over the stored fingerprints, plus the texts changed since it was built."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self._empty()

    def _empty(self) -> None:
        self.seq = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.positions: dict[int, int] = {}
        self.years = np.zeros(0, dtype=np.int32)
        self.sessions = np.zeros(0, dtype=np.int32)
        self.terms = np.zeros(0, dtype=np.int64)
        self.indptr = np.zeros(1, dtype=np.int64)
        self.postings = np.zeros(0, dtype=np.int32)
        self.weights = np.zeros(0, dtype=np.float32)  # idf² per term, 0 for common terms
        self.norms = np.zeros(0, dtype=np.float32)
        self.stale = np.zeros(0, dtype=bool)
        self.changed: dict[int, _Doc] = {}
        self.unknown_weight = 1.0

    # refreshing

    def refresh(self) -> None:
        """Read what changed since the last check (one indexed max() when nothing did); rebuild when much changed.

        `seq` only grows in a real database; if it went back, the table was emptied (tests), so start over.
        """
        max_seq = db.session.scalar(select(func.max(TextFingerprint.seq))) or 0
        if max_seq < self.seq or (self.seq == 0 and max_seq):
            self.build()
            return
        if max_seq == self.seq:
            return
        for row in db.session.execute(_columns().where(TextFingerprint.seq > self.seq).order_by(TextFingerprint.seq)):
            self._note_change(row)
        if len(self.changed) > REBUILD_AFTER:
            self.build()

    def _note_change(self, row) -> None:
        suggestion_id, seq, year, session_id, grams = row
        self.changed[suggestion_id] = _Doc(np.frombuffer(grams, dtype="<i8"), year, session_id or -1)
        position = self.positions.get(suggestion_id)
        if position is not None:
            self.stale[position] = True
        self.seq = max(self.seq, seq)

    def build(self) -> None:
        rows = db.session.execute(_columns().order_by(TextFingerprint.suggestion_id)).all()
        self._empty()
        if not rows:
            return
        grams = [np.frombuffer(row[4], dtype="<i8") for row in rows]
        count = len(rows)
        self.ids = np.array([row[0] for row in rows], dtype=np.int64)
        self.positions = {int(i): n for n, i in enumerate(self.ids)}
        self.seq = max(row[1] for row in rows)
        self.years = np.array([row[2] for row in rows], dtype=np.int32)
        self.sessions = np.array([row[3] or -1 for row in rows], dtype=np.int32)
        lengths = np.array([len(g) for g in grams], dtype=np.int64)
        all_terms = np.concatenate(grams)
        order = np.argsort(all_terms, kind="stable")
        self.postings = np.repeat(np.arange(count, dtype=np.int32), lengths)[order]
        self.terms, starts, frequencies = np.unique(all_terms[order], return_index=True, return_counts=True)
        self.indptr = np.append(starts, len(order)).astype(np.int64)
        idf = np.log((count + 1) / (frequencies + 1)) + 1
        self.weights = np.where(frequencies > max(COMMON_SHARE * count, 5), 0, idf**2).astype(np.float32)
        self.unknown_weight = float((math.log(count + 1) + 1) ** 2)
        per_posting = np.repeat(self.weights, frequencies)
        self.norms = np.sqrt(np.bincount(self.postings, weights=per_posting, minlength=count)).astype(np.float32)
        self.stale = np.zeros(count, dtype=bool)

    # scoring

    def _term_weights(self, grams: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Positions in self.terms (−1 if unknown) and idf² weights of the given bigrams."""
        if not len(self.terms):
            return np.full(len(grams), -1), np.full(len(grams), self.unknown_weight, dtype=np.float32)
        index = np.minimum(np.searchsorted(self.terms, grams), len(self.terms) - 1)
        known = self.terms[index] == grams
        weights = np.where(known, self.weights[index], self.unknown_weight).astype(np.float32)
        return np.where(known, index, -1), weights

    def scores(self, grams: np.ndarray, year: int, session_id: int | None, exclude: int | None) -> list[tuple[int, float]]:
        """The best (suggestion id, cosine) pairs among the same session and the last three years."""
        term_index, weights = self._term_weights(grams)
        query_norm = math.sqrt(float(weights.sum())) or 1.0
        results = self._base_scores(term_index, weights, query_norm, year, session_id)
        results += self._changed_scores(grams, weights, query_norm, year, session_id)
        results = [(i, s) for i, s in results if i != exclude and s >= MIN_SCORE]
        return sorted(results, key=lambda pair: -pair[1])[:CANDIDATES]

    def _base_scores(self, term_index, weights, query_norm, year, session_id) -> list[tuple[int, float]]:
        useful = (term_index >= 0) & (weights > 0)
        if not useful.any():
            return []
        starts, ends = self.indptr[term_index[useful]], self.indptr[term_index[useful] + 1]
        hits = np.concatenate([self.postings[a:b] for a, b in zip(starts, ends)])
        dots = np.bincount(hits, weights=np.repeat(weights[useful], ends - starts), minlength=len(self.ids))
        cosine = dots / (query_norm * np.maximum(self.norms, 1e-6))
        in_range = (self.years >= year - YEARS_BACK) & (self.years <= year)
        if session_id:
            in_range |= self.sessions == session_id
        cosine[~in_range | self.stale] = 0
        top = np.argpartition(-cosine, min(CANDIDATES, len(cosine) - 1))[:CANDIDATES]
        return [(int(self.ids[n]), float(cosine[n])) for n in top if cosine[n] > 0]

    def _changed_scores(self, grams, weights, query_norm, year, session_id) -> list[tuple[int, float]]:
        results = []
        for suggestion_id, doc in self.changed.items():
            if not (year - YEARS_BACK <= doc.year <= year or (session_id and doc.session_id == session_id)):
                continue
            shared = np.isin(grams, doc.grams, assume_unique=True)
            _, doc_weights = self._term_weights(doc.grams)
            doc_norm = math.sqrt(float(doc_weights.sum())) or 1.0
            results.append((suggestion_id, float(weights[shared].sum()) / (query_norm * doc_norm)))
        return results


def _columns():
    return select(TextFingerprint.suggestion_id, TextFingerprint.seq, TextFingerprint.year, TextFingerprint.session_id,
                  TextFingerprint.grams)


_index = _Index()


# --- the check ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    suggestion: Suggestion
    score: float
    passages: list[str]

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def similar_ids(title: str, body: str, year: int, session_id: int | None, exclude: int | None = None) -> list[tuple[int, float]]:
    """Candidate (id, score) pairs, best first, from the index refreshed from the database."""
    grams = fingerprint(title, body)
    with _index.lock:
        _index.refresh()
        return _index.scores(grams, year, session_id, exclude)


def find_similar(actor: User, suggestion: Suggestion, limit: int = 5) -> list[Match]:
    """The most similar suggestions this user may see, with their score and matching passages."""
    candidates = similar_ids(suggestion.title, suggestion.body, suggestion.year, suggestion.session_id, suggestion.id)
    if not candidates:
        return []
    scores = dict(candidates)
    rows = db.session.scalars(
        select(Suggestion).options(joinedload(Suggestion.lead_deputy))
        .where(Suggestion.id.in_(scores), suggestion_scope(actor))
    ).all()
    best = sorted(rows, key=lambda row: -scores[row.id])[:limit]
    query_pairs = set(_pairs(suggestion.title + "。" + suggestion.body))
    return [Match(row, scores[row.id], matching_passages(query_pairs, row.body)) for row in best]


def matching_passages(query_pairs: set[int], text: str, limit: int = 3) -> list[str]:
    """The sentences of `text` most of whose bigrams also occur in the query, in their order."""
    scored = []
    for position, match in enumerate(_SENTENCE.finditer(text)):
        sentence = match.group().strip()
        pairs = set(_pairs(sentence))
        if len(pairs) >= 4:
            overlap = len(pairs & query_pairs) / len(pairs)
            if overlap >= 0.5:
                scored.append((overlap, position, sentence[:120]))
    best = sorted(scored, reverse=True)[:limit]
    return [sentence for _, _, sentence in sorted(best, key=lambda item: item[1])]


def rebuild() -> None:
    """Rebuild this process's index from the table (tests and benchmarks)."""
    with _index.lock:
        _index.build()
