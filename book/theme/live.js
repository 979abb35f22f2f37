// octavo live preview (`book serve` adds this script to the pages it serves;
// it is never part of a built edition). It listens to the server's build
// events: after a good build the page reloads; while the last build failed,
// an overlay shows its diagnostics over the last good page.
(function () {
  "use strict";
  var script = document.currentScript;
  var site = Number(script.getAttribute("data-site"));
  var session = script.getAttribute("data-session");
  var overlay = null;

  var css =
    "#octavo-overlay{position:fixed;z-index:2147483647;top:1rem;left:50%;" +
    "transform:translateX(-50%);width:min(52rem,calc(100% - 2rem));max-height:calc(100% - 2rem);" +
    "overflow:auto;box-sizing:border-box;padding:1rem 1.25rem;background:#fff8f6;color:#1d1b1a;" +
    "border:1px solid #e3b7b0;border-left:.4rem solid #b3261e;border-radius:.4rem;" +
    "box-shadow:0 .5rem 2rem rgba(0,0,0,.25);font:15px/1.4 system-ui,sans-serif;text-align:left}" +
    "#octavo-overlay h2{margin:0 0 .5rem;font:600 1.05rem/1.3 system-ui,sans-serif;color:#8c1d18}" +
    "#octavo-overlay pre{margin:.75rem 0;padding:.75rem;background:#fff;border:1px solid #eed3ce;" +
    "white-space:pre-wrap;overflow-wrap:anywhere;font:13px/1.45 ui-monospace,monospace;color:#1d1b1a}" +
    "#octavo-overlay p{margin:0;color:#5f5450;font-size:13px}" +
    "#octavo-overlay button{float:right;margin:-.25rem -.5rem 0 0;border:0;background:none;" +
    "font-size:1.3rem;line-height:1;cursor:pointer;color:#5f5450}";

  function show(text) {
    if (!overlay) {
      var style = document.createElement("style");
      style.textContent = css;
      overlay = document.createElement("div");
      overlay.id = "octavo-overlay";
      overlay.setAttribute("role", "alert");
      var close = document.createElement("button");
      close.type = "button";
      close.title = "Hide until the next build";
      close.textContent = "\u00d7";
      close.addEventListener("click", hide);
      var heading = document.createElement("h2");
      heading.textContent = "The book did not build";
      var detail = document.createElement("pre");
      var note = document.createElement("p");
      note.textContent =
        "Below is the last good build. This page reloads by itself once the sources are fixed.";
      overlay.append(style, close, heading, detail, note);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = text; // text, never markup
  }

  function hide() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  var events = new EventSource("/__octavo/events");
  events.addEventListener("status", function (event) {
    var status = JSON.parse(event.data);
    if (status.site !== site || status.session !== session) {
      events.close();
      location.reload();
    } else if (status.error) {
      show(status.error);
    } else {
      hide();
    }
  });
})();
