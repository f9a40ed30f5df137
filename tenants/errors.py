"""Domain errors: a business rule said no. `message` is written for the person who asked."""


class SeatwiseError(Exception):
    code = "rule_violated"

    def __init__(self, message: str, *, code: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class TenantError(SeatwiseError):
    code = "tenant_rule"
