/* 普法小助手管理后台: small progressive enhancements; every page works without JavaScript. */
(function () {
  "use strict";

  // The entry form: filter the legal-basis checkboxes by law name, article or summary.
  document.querySelectorAll(".citation-filter").forEach(function (input) {
    var fieldset = input.closest("fieldset");
    input.addEventListener("input", function () {
      var q = input.value.trim().toLowerCase();
      fieldset.querySelectorAll("details.law").forEach(function (group) {
        var law = group.querySelector("summary").textContent.toLowerCase();
        var any = false;
        group.querySelectorAll("label.check").forEach(function (label) {
          var hit = !q || law.indexOf(q) >= 0 || (label.dataset.text || "").toLowerCase().indexOf(q) >= 0;
          label.classList.toggle("is-hidden", !hit);
          any = any || hit;
        });
        group.classList.toggle("is-hidden", !any);
        if (q && any) group.open = true;
      });
    });
  });

  // The answer box: the whole reply as the user gets it (answer + the legal-basis line), counted in 字 against
  // WeChat's limit for a passive reply (2048 bytes, about 680 Chinese characters).
  document.querySelectorAll("textarea[data-bytes]").forEach(function (area) {
    var counter = area.parentElement.querySelector("[data-counter]");
    if (!counter) return;
    var form = area.closest("form");
    var limit = parseInt(area.dataset.bytes, 10);
    var prefix = area.dataset.basisPrefix || "";
    var update = function () {
      var text = area.value.trim();
      var basis = Array.prototype.map.call(form.querySelectorAll("input[name=legal_basis]:checked"), function (box) {
        return box.value;
      });
      if (basis.length) text += "\n\n" + prefix + basis.join("；");
      var bytes = new TextEncoder().encode(text).length;
      var chars = Array.from(text).length;
      var left = Math.floor((limit - bytes) / 3);
      counter.textContent = left >= 0
        ? "整条回复（含法律依据）" + chars + " 字，还能写约 " + left + " 字"
        : "整条回复（含法律依据）" + chars + " 字，太长了：请删减约 " + Math.ceil((bytes - limit) / 3) + " 字";
      counter.classList.toggle("error-text", left < 0);
    };
    area.addEventListener("input", update);
    form.addEventListener("change", update);
    update();
  });

  // Destructive actions ask first. Without JavaScript the server shows a confirmation page instead
  // (console/confirm.py); here a dialog asks, and the form goes with confirmed=1.
  var dialog = null;
  function ask(message, button, onYes) {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "confirm-dialog";
      dialog.innerHTML = '<p class="confirm-text"></p><div class="row"><button type="button" class="danger confirm-yes"></button>' +
        '<button type="button" class="confirm-no">取消</button></div>';
      document.body.appendChild(dialog);
      dialog.querySelector(".confirm-no").addEventListener("click", function () { dialog.close(); });
    }
    dialog.querySelector(".confirm-text").textContent = message;
    var yes = dialog.querySelector(".confirm-yes");
    yes.textContent = button || "确定";
    yes.onclick = function () { dialog.close(); onYes(); };
    dialog.showModal();
    dialog.querySelector(".confirm-no").focus();
  }
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.querySelector("input[name=confirmed]")) return;
      event.preventDefault();
      var submitter = event.submitter;
      ask(form.dataset.confirm, form.dataset.confirmButton, function () {
        var flag = document.createElement("input");
        flag.type = "hidden";
        flag.name = "confirmed";
        flag.value = "1";
        form.appendChild(flag);
        if (submitter && submitter.name) {
          var pressed = document.createElement("input");
          pressed.type = "hidden";
          pressed.name = submitter.name;
          pressed.value = submitter.value;
          form.appendChild(pressed);
        }
        form.submit();
      });
    });
  });

  // Work typed before the login expired: the server hands it back as JSON (never as script), and the form it
  // came from is filled in again. Nothing is sent until the person presses the button once more.
  var draft = document.getElementById("form-draft");
  if (draft) {
    var data = JSON.parse(draft.textContent);
    var target = Array.prototype.find.call(document.forms, function (f) {
      return new URL(f.action, location.href).pathname === data.action;
    });
    if (target && !target.dataset.draftFilled) {
      var values = {};
      data.fields.forEach(function (pair) { (values[pair[0]] = values[pair[0]] || []).push(pair[1]); });
      Object.keys(values).forEach(function (name) {
        target.querySelectorAll('[name="' + CSS.escape(name) + '"]').forEach(function (field) {
          if (field.type === "hidden" || field.type === "file" || field.type === "password") return;
          if (field.type === "checkbox" || field.type === "radio") field.checked = values[name].indexOf(field.value) >= 0;
          else field.value = values[name][0];
        });
      });
      target.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        if (!(box.name in values)) box.checked = false;
      });
      target.dispatchEvent(new Event("change"));
    }
  }

  // The printable statistics summary: the print dialog (also "save as PDF").
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Reply forms: picking a canned reply fills the text box (it can still be edited before sending).
  document.querySelectorAll("select[data-canned]").forEach(function (select) {
    var area = select.closest("form").querySelector("textarea[name=text]");
    if (!area) return;
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      if (option && option.dataset.text) area.value = option.dataset.text;
    });
  });
})();
