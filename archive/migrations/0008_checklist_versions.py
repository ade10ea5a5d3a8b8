from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0007_summaries_and_year_figures')]

    initial = False

    operations = [
        ops.AddField(
            model_name='ChecklistResult',
            name='engine_version',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='ChecklistResult',
            name='rulepack_digest',
            field=fields.CharField(null=True, max_length=16),
        ),
    ]
