from tortoise import migrations
from tortoise.migrations import operations as ops
from archive.models.jobs import JobKind
from archive.models.proposals import ProposalStatus, ProposerKind
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('archive', '0008_checklist_versions')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Proposal',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField(db_index=True)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('kind', fields.CharEnumField(description='VILLAGE: desa\nCITIZEN: warga', enum_type=ProposerKind, max_length=8)),
                ('name', fields.CharField(max_length=300)),
                ('description', fields.TextField(unique=False)),
                ('problem', fields.TextField(unique=False)),
                ('origin', fields.CharField(default='', max_length=200)),
                ('contact_name', fields.CharField(null=True, max_length=200)),
                ('contact_email', fields.CharField(null=True, max_length=200)),
                ('contact_phone', fields.CharField(null=True, max_length=40)),
                ('sender', fields.CharField(null=True, db_index=True, max_length=64)),
                ('status', fields.CharEnumField(default=ProposalStatus.NEW, description='NEW: new\nACCEPTED: accepted\nDECLINED: declined', enum_type=ProposalStatus, max_length=16)),
                ('reason', fields.TextField(null=True, unique=False)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', null=True, db_constraint=True, to_field='id', related_name='proposals', on_delete=OnDelete.SET_NULL)),
                ('decided_by', fields.ForeignKeyField('archive.User', source_field='decided_by_id', null=True, db_constraint=True, to_field='id', related_name='proposal_decisions', on_delete=OnDelete.SET_NULL)),
                ('decided_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('purged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'proposals', 'app': 'archive', 'pk_attr': 'id', 'table_description': 'What a village or a citizen proposed on the public form, and what staff made of it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProposalFile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('proposal', fields.ForeignKeyField('archive.Proposal', source_field='proposal_id', db_constraint=True, to_field='id', related_name='files', on_delete=OnDelete.CASCADE)),
                ('blob', fields.ForeignKeyField('archive.Blob', source_field='blob_id', db_constraint=True, to_field='sha256', related_name='proposal_files', on_delete=OnDelete.RESTRICT)),
                ('filename', fields.CharField(max_length=255)),
                ('media_type', fields.CharField(max_length=120)),
                ('size', fields.BigIntField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'proposal_files', 'app': 'archive', 'pk_attr': 'id', 'table_description': 'A document sent with a proposal (stored like evidence, content-addressed).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Evidence',
            name='public',
            field=fields.BooleanField(default=False, db_default=False),
        ),
        ops.AddField(
            model_name='Innovation',
            name='published_at',
            field=fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False),
        ),
        ops.AlterField(
            model_name='Job',
            name='kind',
            field=fields.CharEnumField(description='EXTRACT: extract\nINDEX: index\nRECHECK: recheck', enum_type=JobKind, max_length=16),
        ),
    ]
