"""Covering indexes for the statistics, the assessment and the public page at 100,000 suggestions.

They let PostgreSQL answer the per-year aggregates from narrow index-only scans instead of
reading the wide reply and assignment tables.
"""
from sqlalchemy import Index

from models.suggestion import Assignment, Reply, Suggestion

Index("ix_suggestion_year_id", Suggestion.year, Suggestion.id)
Index("ix_reply_statistics", Reply.suggestion_id, Reply.unit_id, Reply.round, Reply.reply_category, Reply.replied_on,
      postgresql_where=Reply.voided_reason == "", sqlite_where=Reply.voided_reason == "")
Index("ix_assignment_suggestion_unit", Assignment.suggestion_id, Assignment.unit_id, Assignment.role, Assignment.active)
