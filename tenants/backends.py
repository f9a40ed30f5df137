from allauth.account.auth_backends import AuthenticationBackend


class SeatwiseAuthenticationBackend(AuthenticationBackend):
    """allauth's email backend; an account signs in only while it is enabled somewhere."""

    def user_can_authenticate(self, user) -> bool:
        return user.can_sign_in
