/* Ming's Kitchen host script. On your page:
 *   <div data-mings-kitchen="line" data-name="emm"></div>
 *   <script src="https://YOUR-HOST/embed.js" async></script>
 * turns each such div into an iframe of embed.html?w=line&name=emm and keeps
 * its height equal to the widget's content. It listens only to messages
 * from the widget's own origin and frame, of the one type
 * {type: 'mings-kitchen:height', height}. MIT licensed. */
(function () {
  'use strict';
  var script = document.currentScript;
  var base = new URL('.', script && script.src ? script.src : location.href);
  var origin = base.origin;
  // the tallest a frame gets: a taller report (a bug, or a forged message from
  // the widget's frame) is cut to this, so the frame still shows its top
  var MAX_HEIGHT = 20000;
  var OPTIONS = { name: 'name', t: 't', seed: 'seed', steps: 'steps', start: 'start', theme: 'theme', pace: 'pace', bg: 'bg' };
  var frames = [];

  function mount(div) {
    if (div.getAttribute('data-mings-kitchen-mounted')) return;
    div.setAttribute('data-mings-kitchen-mounted', '1');
    var url = new URL('embed.html', base);
    url.searchParams.set('w', div.getAttribute('data-mings-kitchen') || '');
    for (var key in OPTIONS) {
      var v = div.getAttribute('data-' + key);
      if (v !== null) url.searchParams.set(OPTIONS[key], v);
    }
    var iframe = document.createElement('iframe');
    iframe.src = url.href;
    iframe.title = div.getAttribute('data-title') || "Ming's Kitchen: " + (div.getAttribute('data-mings-kitchen') || 'widget');
    iframe.setAttribute('loading', 'lazy');
    iframe.setAttribute('scrolling', 'no');
    iframe.style.width = '100%';
    iframe.style.border = '0';
    iframe.style.display = 'block';
    // the height before the widget reports its own: data-height if it is a number, within the cap
    var start = Number(div.getAttribute('data-height'));
    iframe.style.height = (start > 0 ? Math.min(Math.ceil(start), MAX_HEIGHT) : 480) + 'px';
    div.appendChild(iframe);
    frames.push(iframe);
  }

  window.addEventListener('message', function (e) {
    if (e.origin !== origin) return;
    var d = e.data;
    if (!d || typeof d !== 'object' || d.type !== 'mings-kitchen:height') return;
    // a number, or a string of one; anything else (null, '', false) is no height
    var h = typeof d.height === 'number' || (typeof d.height === 'string' && d.height.trim() !== '') ? Number(d.height) : NaN;
    if (!(h >= 0)) return; // NaN and negative heights are ignored
    h = Math.min(Math.ceil(h), MAX_HEIGHT); // Infinity and heights over the cap are clamped
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) { frames[i].style.height = h + 'px'; return; }
    }
  });

  function scan() {
    var divs = document.querySelectorAll('[data-mings-kitchen]');
    for (var i = 0; i < divs.length; i++) mount(divs[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan);
  else scan();
  window.MingsKitchen = { scan: scan };
})();
