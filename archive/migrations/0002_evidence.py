from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from archive.models.evidence import ExtractionStatus
from archive.models.jobs import JobKind, JobState
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Blob',
            fields=[
                ('sha256', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('size', fields.BigIntField()),
                ('media_type', fields.CharField(max_length=120)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('extraction_status', fields.CharEnumField(default=ExtractionStatus.PENDING, description='PENDING: pending\nDONE: done\nNO_TEXT: no_text\nNOT_APPLICABLE: not_applicable\nENCRYPTED: encrypted\nFAILED: failed', enum_type=ExtractionStatus, max_length=16)),
                ('extraction_reason', fields.TextField(null=True, unique=False)),
                ('extraction_attempts', fields.IntField(default=0)),
                ('page_count', fields.IntField(null=True)),
                ('chars', fields.IntField(null=True)),
                ('ocr', fields.BooleanField(default=False)),
                ('pages', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('meta', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('extracted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'blobs', 'app': 'archive', 'pk_attr': 'sha256', 'table_description': 'Bytes stored once under their SHA-256, with the text read from them (read once too).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Evidence',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='evidence', on_delete=OnDelete.RESTRICT)),
                ('indicator', fields.CharField(db_index=True, max_length=64)),
                ('chain_id', fields.IntField(null=True, db_index=True)),
                ('version', fields.IntField(default=1)),
                ('is_current', fields.BooleanField(default=True, db_index=True)),
                ('blob', fields.ForeignKeyField('archive.Blob', source_field='blob_id', null=True, db_constraint=True, to_field='sha256', related_name='evidence', on_delete=OnDelete.RESTRICT)),
                ('url', fields.CharField(null=True, max_length=2000)),
                ('filename', fields.CharField(null=True, max_length=255)),
                ('media_type', fields.CharField(null=True, max_length=120)),
                ('size', fields.BigIntField(null=True)),
                ('facts', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('facts_corrected', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('uploaded_by', fields.ForeignKeyField('archive.User', source_field='uploaded_by_id', null=True, db_constraint=True, to_field='id', related_name='uploads', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deleted_by', fields.ForeignKeyField('archive.User', source_field='deleted_by_id', null=True, db_constraint=True, to_field='id', related_name='deletions', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'evidence', 'app': 'archive', 'pk_attr': 'id', 'table_description': "One version of a supporting document for an innovation's indicator."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IndicatorClaim',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='claims', on_delete=OnDelete.CASCADE)),
                ('indicator', fields.CharField(max_length=64)),
                ('claimed_level', fields.IntField()),
                ('basis', fields.CharField(null=True, max_length=64)),
                ('note', fields.TextField(null=True, unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'indicator_claims', 'app': 'archive', 'unique_together': (('innovation', 'indicator'),), 'pk_attr': 'id', 'table_description': 'The level an admin claims for one indicator of an innovation.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Job',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharEnumField(description='EXTRACT: extract\nINDEX: index', enum_type=JobKind, max_length=16)),
                ('ref', fields.CharField(max_length=80)),
                ('state', fields.CharEnumField(default=JobState.PENDING, db_index=True, description='PENDING: pending\nRUNNING: running\nDONE: done\nFAILED: failed', enum_type=JobState, max_length=16)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'jobs', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
