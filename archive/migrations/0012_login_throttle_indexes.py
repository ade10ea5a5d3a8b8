from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('archive', '0011_competitions')]

    initial = False

    operations = [
        ops.AddIndex(
            model_name='AuditEvent',
            index=Index(fields=['action', 'actor', 'at']),
        ),
        ops.AddIndex(
            model_name='AuditEvent',
            index=Index(fields=['action', 'ip', 'at']),
        ),
    ]
