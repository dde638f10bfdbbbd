// Listener page: a chapter button seeks its reading; the chapter being read is highlighted.
"use strict";
(function () {
  document.querySelectorAll(".reading").forEach(function (section) {
    var audio = section.querySelector("audio");
    var chapters = Array.prototype.slice.call(section.querySelectorAll(".chapter"));
    chapters.forEach(function (button) {
      button.addEventListener("click", function () {
        audio.currentTime = parseFloat(button.dataset.start);
        mark(button);
        var played = audio.play();
        if (played && played.catch) played.catch(function () {});
      });
    });
    function mark(current) {
      chapters.forEach(function (b) {
        if (b === current) b.setAttribute("aria-current", "true"); else b.removeAttribute("aria-current");
      });
    }
    audio.addEventListener("timeupdate", function () {
      var t = audio.currentTime, current = null;
      chapters.forEach(function (b) { if (t + 0.05 >= parseFloat(b.dataset.start)) current = b; });
      if (current && current.getAttribute("aria-current") !== "true") mark(current);
    });
  });
})();
