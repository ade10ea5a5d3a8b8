from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0002_evidence')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ChecklistResult',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('innovation', fields.OneToOneField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='checklist', on_delete=OnDelete.CASCADE)),
                ('rulepack', fields.CharField(max_length=32)),
                ('completeness', fields.FloatField()),
                ('claimed', fields.IntField()),
                ('supported', fields.IntField()),
                ('verified', fields.IntField()),
                ('result', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('computed_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'checklist_results', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
