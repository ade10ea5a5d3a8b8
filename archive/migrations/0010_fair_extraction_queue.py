from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0009_catalogue_and_proposals')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Job',
            name='queue',
            field=fields.CharField(default='', db_default='', max_length=40),
        ),
    ]
