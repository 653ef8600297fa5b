// Sandbox-side source (JavaScript, evaluated inside the function's vm context, never in the host realm): Buffer,
// TextEncoder/TextDecoder, atob/btoa and the crypto, querystring and cloudfront modules of cloudfront-js-2.0
// (Developer Guide, "JavaScript runtime 2.0 features for CloudFront Functions"). Byte work goes through hostCall.
export const MODULES_SOURCE = String.raw`
  // Buffer ("Buffer"): a Uint8Array with the listed encodings; bytes cross the bridge as latin1 strings.
  var ENCODINGS = { utf8: 'utf8', 'utf-8': 'utf8', hex: 'hex', base64: 'base64', base64url: 'base64url' };
  function encodingOf(name) {
    if (name === undefined) return 'utf8';
    var key = typeof name === 'string' ? name.toLowerCase() : '';
    if (!apply(hasOwn, ENCODINGS, [key])) throw new TypeErrorCtor('Unknown encoding: ' + String(name));
    return ENCODINGS[key];
  }
  function bytesOf(binary) {
    var out = new Buffer(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }
  function binaryOf(view) {
    var text = '';
    for (var i = 0; i < view.length; i += 4096) text += apply(fromCharCode, null, view.subarray(i, i + 4096));
    return text;
  }
  function binaryOfData(data, encoding) {
    if (typeof data === 'string') return hostCall('encode', encodingOf(encoding), data);
    if (data instanceof ArrayBuffer) return binaryOf(new Uint8Array(data));
    if (ArrayBuffer.isView(data)) return binaryOf(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    throw new TypeErrorCtor('The data argument must be a string, Buffer, TypedArray, DataView or ArrayBuffer');
  }
  class Buffer extends Uint8Array {
    static from(value, encodingOrOffset, length) {
      if (typeof value === 'string') return bytesOf(hostCall('encode', encodingOf(encodingOrOffset), value));
      if (value instanceof ArrayBuffer) {
        var offset = encodingOrOffset === undefined ? 0 : encodingOrOffset;
        return new Buffer(value, offset, length === undefined ? value.byteLength - offset : length);
      }
      if (ArrayBuffer.isView(value) || Array.isArray(value)) {
        var copy = new Buffer(value.length);
        for (var i = 0; i < value.length; i++) copy[i] = value[i];
        return copy;
      }
      if (value !== null && typeof value === 'object' && typeof value.valueOf === 'function') {
        var primitive = value.valueOf();
        if (primitive !== value) return Buffer.from(primitive, encodingOrOffset, length);
      }
      throw new TypeErrorCtor('The first argument must be a string, Buffer, ArrayBuffer, Array or array-like object');
    }
    static alloc(size, fill, encoding) {
      var buffer = new Buffer(size);
      if (fill !== undefined && fill !== 0) buffer.fill(fill, 0, buffer.length, encoding);
      return buffer;
    }
    static allocUnsafe(size) { return new Buffer(size); }
    static byteLength(value, encoding) {
      return typeof value === 'string' ? hostCall('encode', encodingOf(encoding), value).length : value.byteLength;
    }
    static compare(a, b) {
      var n = Math.min(a.length, b.length);
      for (var i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
    }
    static concat(list, totalLength) {
      var total = 0, at = 0, i;
      if (totalLength === undefined) for (i = 0; i < list.length; i++) total += list[i].length;
      else total = totalLength;
      var out = new Buffer(total);
      for (i = 0; i < list.length && at < total; i++) {
        var part = list[i].subarray(0, total - at);
        out.set(part, at);
        at += part.length;
      }
      return out;
    }
    static isBuffer(value) { return value instanceof Buffer; }
    static isEncoding(name) { return typeof name === 'string' && apply(hasOwn, ENCODINGS, [name.toLowerCase()]); }
    toString(encoding, start, end) {
      var view = new Uint8Array(this.buffer, this.byteOffset, this.length);
      view = view.subarray(start === undefined ? 0 : start, end === undefined ? this.length : end);
      return hostCall('decode', encodingOf(encoding), binaryOf(view));
    }
    equals(other) { return Buffer.compare(this, other) === 0; }
    compare(other) { return Buffer.compare(this, other); }
    copy(target, targetStart, sourceStart, sourceEnd) {
      var at = targetStart === undefined ? 0 : targetStart;
      var part = this.subarray(sourceStart === undefined ? 0 : sourceStart, sourceEnd === undefined ? this.length : sourceEnd);
      part = part.subarray(0, Math.max(0, target.length - at));
      target.set(part, at);
      return part.length;
    }
    fill(value, offset, end, encoding) {
      if (typeof value !== 'string') return super.fill(value, offset, end);
      var pattern = Buffer.from(value, encoding);
      var from = offset === undefined ? 0 : offset, to = end === undefined ? this.length : end;
      if (pattern.length === 0) return super.fill(0, from, to);
      for (var i = from; i < to; i++) this[i] = pattern[(i - from) % pattern.length];
      return this;
    }
    slice(start, end) { return this.subarray(start, end); }
    toJSON() { return { type: 'Buffer', data: Array.prototype.slice.call(this) }; }
  }
  var bufferModule = freeze({ Buffer: Buffer });

  // Globals atob() and btoa() ("Globals"); TextEncoder and TextDecoder ("Built-in objects"), UTF-8 only.
  function atob(data) { return hostCall('atob', String(data)); }
  function btoa(data) { return hostCall('btoa', String(data)); }
  class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input) {
      var bytes = bytesOf(hostCall('encode', 'utf8', input === undefined ? '' : String(input)));
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    }
  }
  class TextDecoder {
    constructor(label) {
      if (label !== undefined && !/^utf-?8$/i.test(String(label))) {
        throw new RangeErrorCtor('The "' + String(label) + '" encoding is not supported');
      }
    }
    get encoding() { return 'utf-8'; }
    decode(input) { return input === undefined ? '' : hostCall('decode', 'utf8', binaryOfData(input)); }
  }

  // require('crypto') ("Crypto"): createHash and createHmac for md5, sha1 and sha256; digest() without an encoding
  // returns a Buffer in runtime 2.0 ("JavaScript runtime features for CloudFront Functions").
  var DIGESTS = { md5: true, sha1: true, sha256: true };
  var DIGEST_ENCODINGS = { hex: true, base64: true, base64url: true };
  function digester(kind, algorithm, keyBinary) {
    var name = typeof algorithm === 'string' ? algorithm.toLowerCase() : '';
    if (!apply(hasOwn, DIGESTS, [name])) throw new ErrorCtor('Digest method not supported');
    var parts = [], done = false;
    var self = {
      update: function update(data, encoding) {
        if (done) throw new ErrorCtor('Digest already called');
        parts[parts.length] = binaryOfData(data, encoding);
        return self;
      },
      digest: function digest(encoding) {
        if (done) throw new ErrorCtor('Digest already called');
        done = true;
        var raw = hostCall(kind, name, parts.join(''), keyBinary);
        if (encoding === undefined) return bytesOf(raw);
        if (typeof encoding !== 'string' || !apply(hasOwn, DIGEST_ENCODINGS, [encoding])) {
          throw new TypeErrorCtor('Unknown digest encoding: ' + String(encoding));
        }
        return hostCall('decode', encoding, raw);
      },
    };
    return self;
  }
  var cryptoModule = freeze({
    createHash: function createHash(algorithm) { return digester('hash', algorithm, ''); },
    createHmac: function createHmac(algorithm, key) { return digester('hmac', algorithm, binaryOfData(key)); },
  });

  // require('querystring') ("Query string"): parse, stringify, escape, unescape and the decode/encode aliases.
  function unescapeQuery(text) {
    try { return decodeURIComponent(text); } catch (e) { return text; }
  }
  function textOf(value) {
    if (typeof value === 'string') return value;
    var plain = (typeof value === 'number' && isFinite(value)) || typeof value === 'boolean' || typeof value === 'bigint';
    return plain ? String(value) : '';
  }
  var querystringModule = {
    escape: function escape(text) { return encodeURIComponent(text); },
    unescape: unescapeQuery,
    parse: function parse(text, separator, equals, options) {
      var sep = separator || '&', eq = equals || '=';
      var decode = options && typeof options.decodeURIComponent === 'function' ? options.decodeURIComponent : unescapeQuery;
      var maxKeys = options && typeof options.maxKeys === 'number' ? options.maxKeys : 1000;
      var out = Object.create(null);
      if (typeof text !== 'string' || text === '') return out;
      var parts = text.split(sep);
      if (maxKeys > 0 && parts.length > maxKeys) parts = parts.slice(0, maxKeys);
      for (var i = 0; i < parts.length; i++) {
        var part = parts[i].replace(/\+/g, ' '), at = part.indexOf(eq);
        var key = decode(at < 0 ? part : part.slice(0, at)), value = at < 0 ? '' : decode(part.slice(at + eq.length));
        if (!(key in out)) out[key] = value;
        else if (Array.isArray(out[key])) out[key].push(value);
        else out[key] = [out[key], value];
      }
      return out;
    },
    stringify: function stringify(object, separator, equals, options) {
      var sep = separator || '&', eq = equals || '=';
      var encode = options && typeof options.encodeURIComponent === 'function' ? options.encodeURIComponent : encodeURIComponent;
      if (object === null || typeof object !== 'object') return '';
      var fields = [];
      Object.keys(object).forEach(function (key) {
        var values = Array.isArray(object[key]) ? object[key] : [object[key]];
        values.forEach(function (value) { fields.push(encode(key) + eq + encode(textOf(value))); });
      });
      return fields.join(sep);
    },
  };
  querystringModule.decode = querystringModule.parse;
  querystringModule.encode = querystringModule.stringify;
  freeze(querystringModule);

  // require('cloudfront'): KeyValueStore lives in CloudFront; the emulator has none, and says so instead of guessing.
  var cloudfrontModule = freeze({
    kvs: function kvs() { throw new ErrorCtor('CloudFront KeyValueStore is not emulated by the local runtime'); },
  });
`;
