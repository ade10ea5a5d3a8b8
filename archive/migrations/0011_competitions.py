from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from archive.models.competitions import EntryStatus, StageKind, StageState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0010_fair_extraction_queue')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Competition',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('year', fields.IntField(db_index=True)),
                ('template', fields.CharField(default='', max_length=20)),
                ('description', fields.TextField(default='', unique=False)),
                ('eligible', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('sections', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('entry_deadline', fields.DateField(null=True)),
                ('winners', fields.IntField(default=3)),
                ('published_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('archive.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='competitions_created', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'competitions', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CompetitionStage',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('competition', fields.ForeignKeyField('archive.Competition', source_field='competition_id', db_constraint=True, to_field='id', related_name='stages', on_delete=OnDelete.CASCADE)),
                ('position', fields.IntField()),
                ('name', fields.CharField(max_length=200)),
                ('kind', fields.CharEnumField(default=StageKind.DESK, description='ADMINISTRATIVE: administrasi\nDESK: desk\nPRESENTATION: presentasi\nFIELD: lapangan', enum_type=StageKind, max_length=16)),
                ('blind', fields.BooleanField(default=True)),
                ('passing_grade', fields.FloatField(default=70.0)),
                ('criteria', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('deadline', fields.DateField(null=True)),
                ('state', fields.CharEnumField(default=StageState.WAITING, description='WAITING: waiting\nOPEN: open\nCLOSED: closed', enum_type=StageState, max_length=10)),
                ('opened_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'competition_stages', 'app': 'archive', 'unique_together': (('competition', 'position'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Entry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('competition', fields.ForeignKeyField('archive.Competition', source_field='competition_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('code', fields.CharField(max_length=12)),
                ('sections', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('evidence', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=EntryStatus.DRAFT, description='DRAFT: draft\nSUBMITTED: submitted', enum_type=EntryStatus, max_length=10)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'competition_entries', 'app': 'archive', 'unique_together': (('competition', 'innovation'), ('competition', 'code')), 'pk_attr': 'id', 'table_description': 'An innovation entered in a competition, with its written proposal sections.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='JudgeAssignment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('stage', fields.ForeignKeyField('archive.CompetitionStage', source_field='stage_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('archive.User', source_field='judge_id', db_constraint=True, to_field='id', related_name='judging', on_delete=OnDelete.CASCADE)),
                ('entry', fields.ForeignKeyField('archive.Entry', source_field='entry_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('conflict_reason', fields.TextField(null=True, unique=False)),
                ('conflict_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'competition_assignments', 'app': 'archive', 'unique_together': (('stage', 'judge', 'entry'),), 'pk_attr': 'id', 'table_description': 'One judge, one entry, one stage (a declared conflict takes it out of the scoring).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Score',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('assignment', fields.ForeignKeyField('archive.JudgeAssignment', source_field='assignment_id', db_constraint=True, to_field='id', related_name='scores', on_delete=OnDelete.CASCADE)),
                ('criterion', fields.CharField(max_length=40)),
                ('value', fields.IntField()),
                ('justification', fields.TextField(unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'competition_scores', 'app': 'archive', 'unique_together': (('assignment', 'criterion'),), 'pk_attr': 'id', 'table_description': 'The score (0 to 100) a judge gave one criterion, with the reason for it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StageJudge',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('stage', fields.ForeignKeyField('archive.CompetitionStage', source_field='stage_id', db_constraint=True, to_field='id', related_name='judges', on_delete=OnDelete.CASCADE)),
                ('judge', fields.ForeignKeyField('archive.User', source_field='judge_id', db_constraint=True, to_field='id', related_name='panels', on_delete=OnDelete.CASCADE)),
            ],
            options={'table': 'competition_judges', 'app': 'archive', 'unique_together': (('stage', 'judge'),), 'pk_attr': 'id', 'table_description': 'A judge on the panel of a stage: assigned every entry of the stage when it opens.'},
            bases=['Model'],
        ),
    ]
