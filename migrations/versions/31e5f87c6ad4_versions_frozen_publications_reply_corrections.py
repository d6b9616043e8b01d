"""versions for optimistic locking, frozen publications, reply corrections, kept role grants, unique case numbers

Data: the text each published reply showed is frozen on its publication; suggestions being re-handled get
the day their re-handling started (from the unsatisfied evaluation); congress numbers move to one series
per year of the session; a case number given twice keeps its first holder, later ones are marked.

Revision ID: 31e5f87c6ad4
Revises: 46f947173d00
Create Date: 2026-12-02 11:53:15.763016

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '31e5f87c6ad4'
down_revision = '46f947173d00'
branch_labels = None
depends_on = None


VERSIONED = ('app_user', 'assessment_item', 'calendar_day', 'category_committee', 'committee', 'congress_session', 'deputy', 'deputy_group', 'message_template', 'not_accepted_reason', 'rule_setting', 'township', 'unit')  # optimistic locking on reference data and accounts


def upgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.create_table('reply_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reply_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('previous_text', sa.Text(), nullable=False),
    sa.Column('previous_category', sa.String(length=1), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reply_category', sa.String(length=1), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('corrected_by_id', sa.Integer(), nullable=True),
    sa.Column('corrected_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['corrected_by_id'], ['app_user.id'], name=op.f('fk_reply_correction_corrected_by_id_app_user')),
    sa.ForeignKeyConstraint(['reply_id'], ['reply.id'], name=op.f('fk_reply_correction_reply_id_reply')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_correction')),
    sa.UniqueConstraint('reply_id', 'number', name='uq_reply_correction_reply_number')
    )
    with op.batch_alter_table('reply_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reply_correction_reply_id'), ['reply_id'], unique=False)

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_text', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('published_category', sa.String(length=1), server_default='', nullable=False))
        batch_op.add_column(sa.Column('correction_pending', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rehandling_started_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('rehandling_started_at', sa.DateTime(), nullable=True))
    _freeze_published_texts()
    _date_rehandling()
    _congress_series_per_year()
    _mark_duplicate_numbers()
    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_number_label'))
        batch_op.create_unique_constraint('uq_suggestion_number_label', ['number_label'])

    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.add_column(sa.Column('granted_at', sa.DateTime(), server_default=sa.func.now(), nullable=False))
        batch_op.add_column(sa.Column('revoked_at', sa.DateTime(), nullable=True))



def _freeze_published_texts():
    op.execute("""
        UPDATE publication SET
          published_text = CASE WHEN mode = 'summary' THEN summary
                                ELSE (SELECT reply.text FROM reply WHERE reply.id = publication.reply_id) END,
          published_category = (SELECT reply.reply_category FROM reply WHERE reply.id = publication.reply_id)
        WHERE status IN ('published', 'withdrawn')
    """)


def _date_rehandling():
    op.execute("""
        UPDATE suggestion SET
          rehandling_started_on = (SELECT max(given_on) FROM evaluation
                                   WHERE evaluation.suggestion_id = suggestion.id AND evaluation.level = 'unsatisfied'),
          rehandling_started_at = (SELECT max(recorded_at) FROM evaluation
                                   WHERE evaluation.suggestion_id = suggestion.id AND evaluation.level = 'unsatisfied')
        WHERE state = 'rehandling' OR rehandling_due_on IS NOT NULL
    """)


def _congress_series_per_year():
    """session-N → congress-YEAR where a year has one session's numbers; the year's counter continues after them."""
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT year, number_series, max(number) FROM suggestion WHERE number_series LIKE 'session-%' "
        "GROUP BY year, number_series")).all()
    by_year = {}
    for year, series, last in rows:
        by_year.setdefault(year, []).append((series, last))
    for year, series_list in by_year.items():
        if len(series_list) != 1:
            continue
        (series, last), new = series_list[0], f"congress-{year}"
        connection.execute(sa.text("UPDATE suggestion SET number_series = :new WHERE number_series = :old"),
                           {"new": new, "old": series})
        connection.execute(sa.text("DELETE FROM number_counter WHERE series IN (:old, :new)"), {"old": series, "new": new})
        connection.execute(sa.text("INSERT INTO number_counter (series, last_number) VALUES (:new, :last)"),
                           {"new": new, "last": last})


def _mark_duplicate_numbers():
    connection = op.get_bind()
    duplicated = connection.execute(sa.text(
        "SELECT id, number_label FROM suggestion WHERE number_label IN "
        "(SELECT number_label FROM suggestion WHERE number_label IS NOT NULL GROUP BY number_label HAVING count(*) > 1) "
        "ORDER BY number_label, id")).all()
    seen = set()
    for suggestion_id, label in duplicated:
        if label in seen:
            connection.execute(sa.text("UPDATE suggestion SET number_label = :label WHERE id = :id"),
                               {"label": f"{label}（重号{suggestion_id}）", "id": suggestion_id})
        seen.add(label)


def downgrade():
    for table in VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
    with op.batch_alter_table('user_role', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('granted_at')

    with op.batch_alter_table('suggestion', schema=None) as batch_op:
        batch_op.drop_constraint('uq_suggestion_number_label', type_='unique')
        batch_op.create_index(batch_op.f('ix_suggestion_number_label'), ['number_label'], unique=False)
        batch_op.drop_column('rehandling_started_at')
        batch_op.drop_column('rehandling_started_on')

    with op.batch_alter_table('publication', schema=None) as batch_op:
        batch_op.drop_column('correction_pending')
        batch_op.drop_column('published_category')
        batch_op.drop_column('published_text')

    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('must_change_password')

    with op.batch_alter_table('reply_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reply_correction_reply_id'))

    op.drop_table('reply_correction')
