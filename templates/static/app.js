// SEPEDA BARU: small enhancements on top of pages that work without JavaScript.
// - live word counts under long texts (data-min-words, or data-max-words for a limit);
// - uploads per indicator: several files at once, drag and drop, a progress bar per file,
//   errors beside the form, and the indicator's state refreshed without reloading the page.
// Polling while a file is read is done by htmx (hx-trigger="every ..." in the partials).
(function () {
  "use strict";

  function words(text) {
    var trimmed = text.trim();
    return trimmed ? trimmed.split(/\s+/).length : 0;
  }

  function initWordCounts(root) {
    root.querySelectorAll("textarea[data-min-words], textarea[data-max-words]").forEach(function (area) {
      var out = document.getElementById(area.id + "-words");
      if (!out) { return; }
      var min = parseInt(area.getAttribute("data-min-words"), 10) || 0;
      var max = parseInt(area.getAttribute("data-max-words"), 10) || 0;
      function update() {
        var n = words(area.value);
        if (max) {
          out.textContent = n + " / " + max + " kata" + (n > max ? " (lebih " + (n - max) + ")" : "");
          out.classList.toggle("short", n > max);
        } else {
          out.textContent = n + " kata" + (min ? " (minimal " + min + ")" : "");
          out.classList.toggle("short", min > 0 && n < min);
        }
      }
      area.addEventListener("input", update);
      update();
    });
  }

  function refreshState(form) {
    var url = form.getAttribute("data-refresh");
    var target = document.getElementById(form.getAttribute("data-state"));
    if (!url || !target) { return Promise.resolve(); }
    return fetch(url, { headers: { "X-Sepeda-Fetch": "1" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) { return; }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.firstElementChild;
        if (!fresh) { return; }
        target.replaceWith(fresh);
        if (window.htmx) { window.htmx.process(fresh); }
      });
  }

  function showError(form, text) {
    var box = form.querySelector(".upload-error");
    if (!box) { return; }
    box.textContent = text;
    box.classList.toggle("hidden", !text);
  }

  function sendOne(form, file, list) {
    return new Promise(function (resolve) {
      var data = new FormData();
      form.querySelectorAll("input[type=hidden], select").forEach(function (field) {
        if (field.name) { data.append(field.name, field.value); }
      });
      var item = document.createElement("li");
      var name = document.createElement("span");
      var bar = document.createElement("progress");
      name.textContent = file ? file.name : form.querySelector("input[type=url]").value;
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", "Kemajuan unggah " + name.textContent);
      item.appendChild(name); item.appendChild(bar);
      list.appendChild(item);
      if (file) {
        data.append("file", file, file.name);
      } else {
        data.append("url", form.querySelector("input[type=url]").value);
      }
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.setRequestHeader("X-Sepeda-Fetch", "1");
      xhr.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) { bar.value = Math.round(event.loaded * 100 / event.total); }
      });
      xhr.addEventListener("load", function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = {}; }
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          item.appendChild(document.createTextNode(" tersimpan"));
          item.classList.add("done");
          resolve(null);
        } else {
          var text = (file ? file.name + ": " : "") + (body.detail || "Unggahan gagal (" + xhr.status + ").");
          item.appendChild(document.createTextNode(" gagal"));
          resolve(text);
        }
      });
      xhr.addEventListener("error", function () {
        resolve((file ? file.name + ": " : "") + "Koneksi terputus; coba lagi.");
      });
      xhr.send(data);
    });
  }

  function upload(form, files) {
    var list = form.querySelector(".uploads");
    var url = form.querySelector("input[type=url]");
    showError(form, "");
    if (!files.length && !(url && url.value.trim())) {
      showError(form, "Pilih berkas atau isi tautan terlebih dahulu.");
      return;
    }
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    // One request per file, one after another: each gets its own progress bar and result.
    var errors = [];
    var chain = Promise.resolve();
    var jobs = files.length ? Array.prototype.slice.call(files) : [null];
    jobs.forEach(function (file) {
      chain = chain.then(function () { return sendOne(form, file, list); })
        .then(function (error) { if (error) { errors.push(error); } });
    });
    chain.then(function () {
      if (button) { button.disabled = false; }
      var input = form.querySelector("input[type=file]");
      if (input) { input.value = ""; }
      if (url && !errors.length) { url.value = ""; }
      showError(form, errors.join(" "));
      return refreshState(form).then(function () {
        // The card now lists the stored files; only failures stay under the form.
        list.querySelectorAll("li.done").forEach(function (li) { li.remove(); });
      });
    });
  }

  function initUploads(root) {
    root.querySelectorAll("form[data-upload]").forEach(function (form) {
      if (form.dataset.ready) { return; }
      form.dataset.ready = "1";
      var input = form.querySelector("input[type=file]");
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        upload(form, input ? input.files : []);
      });
      var zone = form.querySelector(".dropzone");
      if (!zone) { return; }
      ["dragenter", "dragover"].forEach(function (type) {
        zone.addEventListener(type, function (event) {
          event.preventDefault();
          zone.classList.add("over");
        });
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        zone.classList.remove("over");
        if (event.dataTransfer && event.dataTransfer.files.length) {
          upload(form, event.dataTransfer.files);
        }
      });
    });
  }

  function init(root) {
    initWordCounts(root);
    initUploads(root);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSwap", function (event) { init(event.target); });
})();
