from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0005_user_email')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Decision',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='decisions', on_delete=OnDelete.CASCADE)),
                ('name', fields.CharField(max_length=16)),
                ('from_status', fields.CharField(max_length=16)),
                ('to_status', fields.CharField(max_length=16)),
                ('note', fields.TextField(null=True, unique=False)),
                ('actor', fields.ForeignKeyField('archive.User', source_field='actor_id', null=True, db_constraint=True, to_field='id', related_name='decisions', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'decisions', 'app': 'archive', 'pk_attr': 'id', 'table_description': "One step of an innovation's workflow: who moved it, when, from where to where, and why."},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Unit',
            name='deactivated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
