from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0012_login_throttle_indexes')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Job',
            name='slow',
            field=fields.BooleanField(default=False, db_default=False),
        ),
    ]
