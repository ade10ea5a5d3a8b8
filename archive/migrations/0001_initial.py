from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from archive.models.innovations import InnovationStatus, InnovationType, Stage
from archive.models.units import UnitKind
from archive.models.users import Role
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
                ('actor', fields.CharField(null=True, db_index=True, max_length=64)),
                ('action', fields.CharField(max_length=64)),
                ('object_type', fields.CharField(max_length=32)),
                ('object_id', fields.CharField(null=True, max_length=64)),
                ('ip', fields.CharField(null=True, max_length=64)),
                ('before', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('after', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'audit_events', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Period',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField(unique=True)),
                ('rulepack', fields.CharField(max_length=32)),
                ('opens', fields.DateField()),
                ('closes', fields.DateField()),
                ('review_closes', fields.DateField()),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'periods', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Unit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=200)),
                ('kind', fields.CharEnumField(description='SKPD: skpd\nBLUD: blud\nPUSKESMAS: puskesmas\nKECAMATAN: kecamatan\nDESA: desa\nMASYARAKAT: masyarakat', enum_type=UnitKind, max_length=16)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'units', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=64)),
                ('full_name', fields.CharField(default='', max_length=200)),
                ('role', fields.CharEnumField(description='STAFF: staff\nVERIFIER: verifier\nADMIN: admin\nINNOVATOR: innovator\nJUDGE: judge', enum_type=Role, max_length=16)),
                ('unit', fields.ForeignKeyField('archive.Unit', source_field='unit_id', null=True, db_constraint=True, to_field='id', related_name='users', on_delete=OnDelete.RESTRICT)),
                ('password_hash', fields.CharField(max_length=255)),
                ('active', fields.BooleanField(default=True)),
                ('token_version', fields.IntField(default=0)),
                ('must_change_password', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'users', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Innovation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('year', fields.IntField(db_index=True)),
                ('unit', fields.ForeignKeyField('archive.Unit', source_field='unit_id', db_constraint=True, to_field='id', related_name='innovations', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=300)),
                ('made_by', fields.TextField(null=True, unique=False)),
                ('stage', fields.CharEnumField(null=True, description='INISIATIF: inisiatif\nUJI_COBA: uji coba\nPENERAPAN: penerapan', enum_type=Stage, max_length=16)),
                ('initiator', fields.CharField(null=True, max_length=200)),
                ('initiator_name', fields.CharField(null=True, max_length=200)),
                ('type', fields.CharEnumField(null=True, description='DIGITAL: digital\nNON_DIGITAL: non digital', enum_type=InnovationType, max_length=16)),
                ('form', fields.CharField(null=True, max_length=200)),
                ('affairs', fields.CharField(null=True, max_length=300)),
                ('thematic', fields.CharField(null=True, max_length=200)),
                ('classification', fields.CharField(null=True, max_length=100)),
                ('design', fields.TextField(null=True, unique=False)),
                ('goals', fields.TextField(null=True, unique=False)),
                ('benefits', fields.TextField(null=True, unique=False)),
                ('results', fields.TextField(null=True, unique=False)),
                ('trial_date', fields.DateField(null=True)),
                ('implementation_date', fields.DateField(null=True)),
                ('development_date', fields.DateField(null=True)),
                ('budget', fields.BigIntField(null=True)),
                ('latitude', fields.FloatField(null=True)),
                ('longitude', fields.FloatField(null=True)),
                ('proposal', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('status', fields.CharEnumField(default=InnovationStatus.DRAFT, db_index=True, description='DRAFT: draft\nSUBMITTED: submitted\nREVISION: revision\nVERIFIED: verified\nREJECTED: rejected\nPUBLISHED: published', enum_type=InnovationStatus, max_length=16)),
                ('version', fields.IntField(default=1)),
                ('created_by', fields.ForeignKeyField('archive.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='created_innovations', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'innovations', 'app': 'archive', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Assignment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('archive.User', source_field='user_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('innovation', fields.ForeignKeyField('archive.Innovation', source_field='innovation_id', db_constraint=True, to_field='id', related_name='assignments', on_delete=OnDelete.CASCADE)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'assignments', 'app': 'archive', 'unique_together': (('user', 'innovation'),), 'pk_attr': 'id', 'table_description': 'An innovator invited to, or a judge assigned to, one innovation.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PasswordReset',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('archive.User', source_field='user_id', db_constraint=True, to_field='id', related_name='resets', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_by', fields.ForeignKeyField('archive.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='issued_resets', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'password_resets', 'app': 'archive', 'pk_attr': 'id', 'table_description': 'A one-time password-reset link, stored as the SHA-256 of its token.'},
            bases=['Model'],
        ),
    ]
