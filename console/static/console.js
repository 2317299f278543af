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

  // The answer box: count UTF-8 bytes against WeChat's limit for a passive reply.
  document.querySelectorAll("textarea[data-bytes]").forEach(function (area) {
    var counter = area.parentElement.querySelector("[data-counter]");
    if (!counter) return;
    var limit = parseInt(area.dataset.bytes, 10);
    var update = function () {
      var bytes = new TextEncoder().encode(area.value).length;
      counter.textContent = "答复正文 " + bytes + " 字节（整条回复上限 " + limit + "，依据另计）";
      counter.classList.toggle("error-text", bytes > limit);
    };
    area.addEventListener("input", update);
    update();
  });
})();
