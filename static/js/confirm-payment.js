// 3-D Secure for paying an invoice with the saved card: confirm with the bank, then post back.
(function () {
  "use strict";
  var root = document.getElementById("confirm-payment");
  if (!root || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(root.dataset.publishableKey, { locale: document.documentElement.lang || "auto" });
  var form = document.getElementById("confirm-form");
  var errors = document.getElementById("card-errors");
  stripe.confirmCardPayment(root.dataset.clientSecret).then(function (result) {
    if (result.error) {
      errors.textContent = result.error.message;
      errors.hidden = false;
      return;
    }
    form.querySelector("input[name=payment_intent]").value = result.paymentIntent.id;
    form.submit();
  });
})();
