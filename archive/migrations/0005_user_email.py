from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0004_workflow')]

    initial = False

    operations = [
        ops.AddField(
            model_name='User',
            name='email',
            field=fields.CharField(null=True, max_length=200),
        ),
    ]
