#include "values/js/otto_json.h"

namespace utask::values::js {

const char kOttoJsonPrelude[] = R"JS((function () {
  'use strict';
  var nativeStringify = JSON.stringify;
  var classOf = Object.prototype.toString;
  var hasOwn = Object.prototype.hasOwnProperty;
  var isArray = Array.isArray;
  var objectKeys = Object.keys;
  var htmlEscapes = {'<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029'};

  function unbox(v) {
    if (v !== null && typeof v === 'object') {
      var c = classOf.call(v);
      if (c === '[object Boolean]' || c === '[object String]' || c === '[object Number]') return v.valueOf();
    }
    return v;
  }

  // The JSON text of holder[key], or undefined when it is left out.
  function walk(state, holder, key) {
    var value = holder[key];
    if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      var toJSON = value.toJSON;
      if (typeof toJSON === 'function') value = toJSON.call(value, key);
    }
    if (state.replacer) value = state.replacer.call(holder, key, value);
    value = unbox(value);
    switch (typeof value) {
      case 'boolean': return value ? 'true' : 'false';
      case 'string': return nativeStringify(value);
      case 'number': return isFinite(value) ? String(value) : 'null';
      case 'object': if (value === null) return 'null'; break;
      default: return undefined;
    }
    if (state.stack.indexOf(value) >= 0) throw new TypeError('Converting circular structure to JSON');
    state.stack.push(value);
    var outer = state.indent;
    state.indent = outer + state.gap;
    var array = isArray(value);
    var parts = [];
    var i, text;
    if (array) {
      for (i = 0; i < value.length; i++) {
        text = walk(state, value, String(i));
        parts.push(text === undefined ? 'null' : text);
      }
    } else {
      var names = (state.list || objectKeys(value)).slice().sort();
      for (i = 0; i < names.length; i++) {
        text = walk(state, value, names[i]);
        if (text !== undefined) parts.push(nativeStringify(names[i]) + (state.gap ? ': ' : ':') + text);
      }
    }
    state.stack.pop();
    state.indent = outer;
    var open = array ? '[' : '{';
    var close = array ? ']' : '}';
    if (parts.length === 0) return open + close;
    if (!state.gap) return open + parts.join(',') + close;
    var newline = '\n' + outer + state.gap;
    return open + newline + parts.join(',' + newline) + '\n' + outer + close;
  }

  JSON.stringify = function stringify(value, replacer, space) {
    var state = {replacer: null, list: null, gap: '', indent: '', stack: []};
    if (typeof replacer === 'function') {
      state.replacer = replacer;
    } else if (isArray(replacer)) {
      var seen = {};
      state.list = [];
      for (var i = 0; i < replacer.length; i++) {
        var item = unbox(replacer[i]);
        if (typeof item !== 'string' && typeof item !== 'number') continue;
        var name = String(item);
        if (hasOwn.call(seen, name)) continue;
        seen[name] = true;
        state.list.push(name);
      }
    }
    space = unbox(space);
    if (typeof space === 'string') {
      state.gap = space.slice(0, 10);
    } else if (typeof space === 'number') {
      state.gap = new Array((space > 0 ? Math.min(10, Math.floor(space)) : 0) + 1).join(' ');
    }
    var text = walk(state, {'': value}, '');
    if (text === undefined) return undefined;
    return text.replace(/[<>&\u2028\u2029]/g, function (c) { return htmlEscapes[c]; });
  };
})();
)JS";

}  // namespace utask::values::js
