// Review page: every edit is saved as you type (debounced), against the text the page showed (its version);
// a conflict shows both texts and loses neither. Keyboard: Alt+Down/Up next/previous, Ctrl+Enter approve and
// next, Alt+M insert the best memory match.
"use strict";
(function () {
  var list = document.getElementById("segments");
  if (!list) return;
  var csrf = document.querySelector('meta[name="csrf-token"]').content;
  var text = JSON.parse(document.body.dataset.text || "{}");
  var lockMessage = document.getElementById("lock-message");
  var DELAY = 600;
  var items = Array.prototype.slice.call(list.querySelectorAll(".seg"));

  function Segment(li) {
    this.li = li; this.id = li.dataset.id;
    this.area = li.querySelector("textarea");
    this.base = this.area.dataset.base;
    this.saved = li.querySelector(".saved");
    this.status = li.querySelector(".status");
    this.conflict = li.querySelector(".conflict");
    this.timer = null; this.busy = false; this.again = null; this.after = [];
    var self = this;
    this.area.addEventListener("input", function () { self.show("unsaved"); self.later(); });
    this.area.addEventListener("blur", function () { if (self.timer) self.now(""); });
    li.querySelector(".approve").addEventListener("click", function () { self.now("approved"); });
    li.querySelector(".keep-mine").addEventListener("click", function () {
      self.base = self.replaced = self.conflict.dataset.theirs; self.conflict.hidden = true; self.now("");
    });
    li.querySelector(".take-theirs").addEventListener("click", function () {
      self.area.value = self.base = self.conflict.dataset.theirs; self.conflict.hidden = true; self.show("saved");
      self.area.focus();
    });
    li.querySelectorAll(".insert").forEach(function (b) {
      b.addEventListener("click", function () { self.insert(b.dataset.text); });
    });
  }
  Segment.prototype.show = function (key) {
    this.saved.textContent = text[key] || key;
    this.li.dataset.saved = key;
  };
  Segment.prototype.insert = function (value) {
    this.area.value = value; this.show("unsaved"); this.later(); this.area.focus();
  };
  Segment.prototype.later = function () {
    var self = this;
    clearTimeout(this.timer);
    this.timer = setTimeout(function () { self.now(""); }, DELAY);
  };
  Segment.prototype.now = function (status, then) {
    clearTimeout(this.timer); this.timer = null;
    if (then) this.after.push(then);
    if (this.busy) { this.again = status || this.again || ""; return; }
    var value = this.area.value, self = this;
    if (!value.trim()) { this.show("empty"); this.finish(); return; }
    if (value === this.base && !status) { this.show("saved"); this.finish(); return; }
    this.busy = true; this.show("saving");
    fetch("/d/" + list.dataset.doc + "/s/" + encodeURIComponent(this.id), {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify({text: value, base: this.base, status: status || "", replaced: this.replaced || ""})
    }).then(function (r) {
      return r.json().then(function (body) { return {code: r.status, body: body}; });
    }).then(function (r) {
      self.busy = false;
      lockMessage.hidden = r.code !== 423;
      if (r.code === 200) {
        self.base = r.body.text; self.replaced = "";
        self.setStatus(r.body.status);
        self.show(self.area.value === r.body.text ? "saved" : "unsaved");
        if (self.area.value !== r.body.text || self.again !== null) {
          var s = self.again || ""; self.again = null; self.now(s); return;
        }
        self.finish();
      } else if (r.code === 409) {
        self.conflict.dataset.theirs = r.body.theirs;
        self.conflict.querySelector(".theirs").textContent = r.body.theirs;
        self.conflict.querySelector(".mine").textContent = value;
        self.conflict.hidden = false; self.show("conflict");
        self.conflict.querySelector(".keep-mine").focus();
      } else if (r.code === 423) {
        lockMessage.textContent = text.locked; self.show("unsaved");
        setTimeout(function () { self.now(status); }, 3000);
      } else {
        self.show("failed"); setTimeout(function () { self.now(status); }, 5000);
      }
    }).catch(function () {
      self.busy = false; self.show("failed"); setTimeout(function () { self.now(status); }, 5000);
    });
  };
  Segment.prototype.finish = function () {
    var todo = this.after; this.after = [];
    todo.forEach(function (f) { f(); });
  };
  Segment.prototype.setStatus = function (value) {
    this.li.className = this.li.className.replace(/status-\S+/, "status-" + value);
    this.status.textContent = text["status_" + value] || value;
  };

  var segments = items.map(function (li) { return new Segment(li); });
  function focusAt(index) {
    if (index >= 0 && index < segments.length) {
      segments[index].area.focus();
      segments[index].li.scrollIntoView({block: "center"});
    }
  }
  function current() {
    return segments.findIndex(function (s) { return s.li.contains(document.activeElement); });
  }
  document.addEventListener("keydown", function (e) {
    var at = current();
    if (e.altKey && e.key === "ArrowDown") { e.preventDefault(); focusAt(at + 1); }
    else if (e.altKey && e.key === "ArrowUp") { e.preventDefault(); focusAt(Math.max(0, at - 1)); }
    else if ((e.ctrlKey || e.metaKey) && e.key === "Enter" && at >= 0) {
      e.preventDefault();
      segments[at].now("approved");
      focusAt(at + 1);
    } else if (e.altKey && (e.key === "m" || e.key === "M" || e.code === "KeyM") && at >= 0) {
      var match = segments[at].li.querySelector(".insert");
      if (match) { e.preventDefault(); segments[at].insert(match.dataset.text); }
    }
  });
  window.addEventListener("beforeunload", function (e) {
    if (segments.some(function (s) { return s.timer || s.busy; })) {
      segments.forEach(function (s) { if (s.timer) s.now(""); });
      e.preventDefault(); e.returnValue = "";
    }
  });
})();
