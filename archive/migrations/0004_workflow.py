from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from archive.models.workflow import ReviewState, Verdict
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0003_checklists')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Comment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.CASCADE)),
                ('indicator', fields.CharField(null=True, max_length=64)),
                ('author', fields.ForeignKeyField('archive.User', source_field='author_id', null=True, db_constraint=True, to_field='id', related_name='comments', on_delete=OnDelete.SET_NULL)),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'comments', 'app': 'archive', 'pk_attr': 'id', 'table_description': 'A message in the thread of an innovation, or of one of its indicators.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Notification',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('archive.User', source_field='user_id', db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=32)),
                ('message', fields.TextField(unique=False)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', null=True, db_constraint=True, to_field='id', related_name='notifications', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(null=True, db_index=True, max_length=120)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('read_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notifications', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RegionalIndicator',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField()),
                ('indicator', fields.CharField(max_length=64)),
                ('claimed_level', fields.IntField(default=0)),
                ('verified_level', fields.IntField(null=True)),
                ('note', fields.TextField(null=True, unique=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'regional_indicators', 'app': 'archive', 'unique_together': (('year', 'indicator'),), 'pk_attr': 'id', 'table_description': "The region's own (SPD) indicator for a year, recorded by staff."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.CASCADE)),
                ('indicator', fields.CharField(max_length=64)),
                ('verified_level', fields.IntField()),
                ('verdict', fields.CharEnumField(description='SESUAI: sesuai\nTIDAK_SESUAI: tidak_sesuai', enum_type=Verdict, max_length=16)),
                ('note', fields.TextField(null=True, unique=False)),
                ('state', fields.CharEnumField(default=ReviewState.DONE, description='DONE: done\nWAITING: waiting', enum_type=ReviewState, max_length=16)),
                ('seen', fields.JSONField(default=list, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('reviewer', fields.ForeignKeyField('archive.User', source_field='reviewer_id', null=True, db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'reviews', 'app': 'archive', 'unique_together': (('innovation', 'indicator'),), 'pk_attr': 'id', 'table_description': "A verifier's judgement of one indicator, tied to the evidence versions they saw."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Evidence',
            name='innovation',
            field=fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', null=True, db_constraint=True, to_field='id', related_name='evidence', on_delete=OnDelete.RESTRICT),
        ),
        ops.AddField(
            model_name='Evidence',
            name='regional_year',
            field=fields.IntField(null=True, db_index=True),
        ),
        ops.AddField(
            model_name='Innovation',
            name='carried_from',
            field=fields.ForeignKeyField('archive.Innovation', source_field='carried_from_id', null=True, db_constraint=True, to_field='id', related_name='carried_to', on_delete=OnDelete.SET_NULL),
        ),
        ops.AddField(
            model_name='Innovation',
            name='decided_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Innovation',
            name='reopened',
            # db_default: a database at 0003 with rows needs it to add the column.
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Innovation',
            name='submitted_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Period',
            name='reopened',
            # db_default: a database at 0003 with rows needs it to add the column.
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
