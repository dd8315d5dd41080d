// Chart PNGs, made in the reader's browser from the chart's SVG at twice its size, with the
// chart font (DejaVu Sans) embedded so the text matches the SVG. Without this script the PNG
// buttons stay hidden and the SVG and CSV links remain.
(function () {
  'use strict';
  var script = document.currentScript;
  var fonts = ((script && script.getAttribute('data-fonts')) || '').split(' ').filter(Boolean);
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var fontCss = null;

  function base64(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = '';
    for (var i = 0; i < bytes.length; i += 0x8000) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(out);
  }

  // @font-face rules for the regular and bold faces, fetched once.
  function loadFonts() {
    if (!fontCss) {
      fontCss = Promise.all(fonts.map(function (url) {
        return fetch(url).then(function (r) {
          if (!r.ok) throw new Error(url + ': ' + r.status);
          return r.arrayBuffer();
        });
      })).then(function (faces) {
        return faces.map(function (face, i) {
          return '@font-face{font-family:"DejaVu Sans";font-weight:' + (i ? 'bold' : 'normal') +
            ';src:url(data:font/ttf;base64,' + base64(face) + ') format("truetype")}';
        }).join('');
      });
    }
    return fontCss;
  }

  function png(svg, name, button) {
    var box = svg.getAttribute('viewBox').split(/\s+/).map(Number);
    var width = box[2] * 2, height = box[3] * 2;
    button.disabled = true;
    return loadFonts().then(function (css) {
      var copy = svg.cloneNode(true);
      copy.setAttribute('width', width);
      copy.setAttribute('height', height);
      var style = document.createElementNS(SVG_NS, 'style');
      style.textContent = css;
      copy.insertBefore(style, copy.firstChild);
      var blob = new Blob([new XMLSerializer().serializeToString(copy)], { type: 'image/svg+xml' });
      var url = URL.createObjectURL(blob);
      return new Promise(function (resolve, reject) {
        var img = new Image();
        img.onload = function () { resolve(img); };
        img.onerror = function () { reject(new Error('SVG image did not load')); };
        img.src = url;
      }).then(function (img) {
        var canvas = document.createElement('canvas');
        canvas.width = width;
        canvas.height = height;
        var ctx = canvas.getContext('2d');
        ctx.fillStyle = '#ffffff';
        ctx.fillRect(0, 0, width, height);
        ctx.drawImage(img, 0, 0, width, height);
        URL.revokeObjectURL(url);
        return new Promise(function (resolve) { canvas.toBlob(resolve, 'image/png'); });
      });
    }).then(function (blob) {
      var a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name + '.png';
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
    }).catch(function (e) {
      button.textContent = 'PNG no disponible';
      if (window.console) console.error(e);
    }).then(function () { button.disabled = false; });
  }

  var buttons = document.querySelectorAll('button.chart-png');
  for (var i = 0; i < buttons.length; i++) {
    var button = buttons[i];
    button.hidden = false;
    button.addEventListener('click', function (event) {
      var b = event.currentTarget;
      var figure = b.closest('figure');
      var svg = figure && figure.querySelector('svg.chart-wide');
      if (svg) png(svg, b.getAttribute('data-name'), b);
    });
  }
})();
