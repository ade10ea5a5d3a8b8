from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0006_decisions_and_unit_deactivation')]

    initial = False

    operations = [
        ops.CreateModel(
            name='YearFigure',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField(unique=True)),
                ('innovations', fields.IntField()),
                ('iid', fields.FloatField(null=True)),
                ('predicate', fields.CharField(null=True, max_length=32)),
                ('source', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'year_figures', 'app': 'archive', 'pk_attr': 'id', 'table_description': 'What the office reports for a year kept outside SEPEDA BARU (before it was used).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='ChecklistResult',
            name='summary',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
