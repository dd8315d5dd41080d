// An embedded chart tells the page that embeds it how tall it is (on load, and whenever it
// changes, e.g. when the reader opens its table), so the snippet's frame fits it exactly.
(function () {
  'use strict';
  if (window.parent === window) return;
  var last = 0;
  function send() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ cifras: 'altura', height: height }, '*');
    }
  }
  window.addEventListener('load', send);
  if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
  else window.addEventListener('resize', send);
})();
