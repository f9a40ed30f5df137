# Seatwise — the two commands of the README, and a few helpers.
#   make run    fresh clone → venv, install, migrate, demo data, web + worker + beat + local Stripe
#   make test   installs what the tests need and runs the whole suite
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
BIN := $(VENV)/bin
RUN_ENV := DJANGO_DEBUG=true

.PHONY: help run test install lint messages check-deploy screenshots clean

help:
	@echo "make run    start Seatwise on http://127.0.0.1:8000 with demo data"
	@echo "make test   run the whole test suite (PostgreSQL, Redis, localstripe, Chromium)"
	@echo "make lint   ruff"
	@echo "make messages   extract and compile translations (en, de, nb)"

install:
	bin/venv requirements-dev.txt

run: install
	bin/ensure-services run
	$(RUN_ENV) bin/run

test: install
	bin/ensure-services test
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

messages: install
	$(BIN)/python manage.py makemessages --locale de --locale nb --ignore '.venv/*' --ignore 'staticfiles/*'
	$(BIN)/python manage.py compilemessages --ignore '.venv/*'

check-deploy: install
	DJANGO_SECRET_KEY=check-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-$$RANDOM-long-enough \
	STRIPE_SECRET_KEY=sk_live_placeholder DJANGO_ALLOWED_HOSTS=seatwise.example \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) .run staticfiles .coverage htmlcov
