from allauth.account.adapter import DefaultAccountAdapter


class SeatwiseAccountAdapter(DefaultAccountAdapter):
    """Accounts are provisioned by organizations, never signed up; disabled ones are turned away."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def pre_login(self, request, user, **kwargs):
        if not user.can_sign_in:
            from allauth.account.internal.stagekit import clear_login

            clear_login(request)
            return self.respond_user_inactive(request, user)
        return super().pre_login(request, user, **kwargs)
