from fastapi import APIRouter

from archive.api.deps import ActorDep, StaffUser
from archive.errors import NotFound
from archive.models import User
from archive.schemas.users import UserCreate, UserOut, UserUpdate
from archive.services import accounts

router = APIRouter(prefix="/users", tags=["users"])


@router.get("")
async def list_users(staff: StaffUser) -> list[UserOut]:
    return [await accounts.user_out(user) for user in await User.all()]


@router.get("/{username}")
async def get_user(username: str, staff: StaffUser) -> UserOut:
    user = await User.get_or_none(username=username)
    if user is None:
        raise NotFound("Pengguna tidak ditemukan.")
    return await accounts.user_out(user)


@router.post("", status_code=201)
async def create_user(body: UserCreate, staff: StaffUser, actor: ActorDep) -> UserOut:
    return await accounts.user_out(await accounts.create_user(body, actor))


@router.patch("/{username}")
async def update_user(
    username: str, body: UserUpdate, staff: StaffUser, actor: ActorDep
) -> UserOut:
    return await accounts.user_out(await accounts.update_user(username, body, actor))
