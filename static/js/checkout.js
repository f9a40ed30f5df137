// The card step: Stripe Elements collects the card, confirmCardSetup (with 3-D Secure) saves it,
// then the form posts only the SetupIntent id. A payment that needs 3-D Secure is confirmed with
// confirmCardPayment and posted again. Card numbers never reach Seatwise.
(function () {
  "use strict";
  var root = document.getElementById("card-payment");
  if (!root || typeof Stripe === "undefined") { return; }

  var stripe = Stripe(root.dataset.publishableKey, { locale: document.documentElement.lang || "auto" });
  var form = document.getElementById("pay-form");
  var button = document.getElementById("pay-button");
  var errors = document.getElementById("card-errors");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var card = stripe.elements().create("card");
  card.mount("#card-element");

  function busy(on) {
    button.disabled = on;
    form.classList.toggle("is-busy", on);
  }
  function showError(message) {
    errors.textContent = message || root.dataset.fallbackError;
    errors.hidden = false;
    busy(false);
  }
  function submitWith(name, value) {
    form.querySelector("input[name=" + name + "]").value = value;
    form.submit();
  }

  var pendingPayment = root.dataset.paymentIntentSecret;
  if (pendingPayment) {
    busy(true);
    stripe.confirmCardPayment(pendingPayment).then(function (result) {
      if (result.error) { showError(result.error.message); return; }
      submitWith("payment_intent", result.paymentIntent.id);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) { return; }
    errors.hidden = true;
    busy(true);
    fetch(root.dataset.intentUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" }
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (!answer.ok) { throw new Error(answer.body.error); }
        return stripe.confirmCardSetup(answer.body.client_secret, {
          payment_method: {
            card: card,
            billing_details: { name: root.dataset.name, email: root.dataset.email }
          }
        });
      })
      .then(function (result) {
        if (result.error) { showError(result.error.message); return; }
        submitWith("setup_intent", result.setupIntent.id);
      })
      .catch(function (error) { showError(error && error.message); });
  });
})();
