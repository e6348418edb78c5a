// 焦点图 on the home page: one slide at a time, with 暂停/开始轮播, 上一张 and 下一张 buttons.
// It advances by itself only while nobody is reading it (no pointer over it, no focus in it),
// never when the reader's system asks for reduced motion, and not after 暂停轮播.
// The arrow keys move between slides while focus is inside. Without this script the slides
// stay a strip that scrolls sideways, the first one in view (see site.css .carousel).
(function () {
  "use strict";
  var INTERVAL = 6000;
  var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Array.prototype.forEach.call(document.querySelectorAll("[data-carousel]"), function (root) {
    var slides = root.querySelectorAll(".carousel-slide");
    var strip = root.querySelector(".carousel-slides");
    var controls = root.querySelector(".carousel-controls");
    var rotate = root.querySelector("[data-carousel-rotate]");
    if (slides.length < 2 || !controls || !rotate) return;
    var current = 0;
    var rotating = !reduced; // the reader's choice (暂停轮播 / reduced motion)
    var held = false; // pointer over it or focus inside it
    var timer = null;

    function show(index, byReader) {
      current = (index + slides.length) % slides.length;
      Array.prototype.forEach.call(slides, function (slide, i) { slide.hidden = i !== current; });
      // A reader who moves the slides hears the new one; a rotating one stays quiet.
      strip.setAttribute("aria-live", byReader ? "polite" : "off");
    }

    function schedule() {
      if (timer) window.clearInterval(timer);
      timer = null;
      if (rotating && !held) timer = window.setInterval(function () { show(current + 1, false); }, INTERVAL);
      root.setAttribute("data-rotating", String(Boolean(timer)));
    }

    function setRotating(on) {
      rotating = on;
      rotate.textContent = on ? rotate.getAttribute("data-label-stop") : rotate.getAttribute("data-label-start");
      schedule();
    }

    root.classList.add("carousel-js");
    controls.hidden = false;
    root.querySelector("[data-carousel-prev]").addEventListener("click", function () { show(current - 1, true); });
    root.querySelector("[data-carousel-next]").addEventListener("click", function () { show(current + 1, true); });
    rotate.addEventListener("click", function () { setRotating(!rotating); });
    root.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft" || event.key === "ArrowRight") {
        show(current + (event.key === "ArrowLeft" ? -1 : 1), true);
        event.preventDefault();
      }
    });
    root.addEventListener("focusin", function () { held = true; schedule(); });
    root.addEventListener("focusout", function (event) {
      if (!root.contains(event.relatedTarget)) { held = false; schedule(); }
    });
    root.addEventListener("mouseenter", function () { held = true; schedule(); });
    root.addEventListener("mouseleave", function () { held = root.contains(document.activeElement); schedule(); });

    show(0, false);
    setRotating(rotating);
  });
})();
