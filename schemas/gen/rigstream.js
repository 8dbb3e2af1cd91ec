/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-mixed-operators, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars, default-case, jsdoc/require-param*/
import $protobuf from "protobufjs/minimal.js";

// Common aliases
const $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;
const $Object = $util.global.Object, $undefined = $util.global.undefined, $Error = $util.global.Error, $RangeError = $util.global.RangeError, $Array = $util.global.Array, $TypeError = $util.global.TypeError, $String = $util.global.String, $Number = $util.global.Number, $parseInt = $util.global.parseInt, $BigInt = $util.global.BigInt, $isFinite = $util.global.isFinite, $Boolean = $util.global.Boolean;

// Exported root namespace
const $root = $protobuf.roots["default"] || ($protobuf.roots["default"] = {});

export const rigstream = $root.rigstream = (() => {

    /**
     * Namespace rigstream.
     * @exports rigstream
     * @namespace
     */
    const rigstream = {};

    rigstream.v1 = (function() {

        /**
         * Namespace v1.
         * @memberof rigstream
         * @namespace
         */
        const v1 = {};

        v1.ChannelSamples = (function() {

            /**
             * Properties of a ChannelSamples.
             * @typedef {Object} rigstream.v1.ChannelSamples.$Properties
             * @property {string|null} [id] ChannelSamples id
             * @property {number|null} [rateHz] ChannelSamples rateHz
             * @property {number|null} [startUs] ChannelSamples startUs
             * @property {Array.<number>|null} [samples] ChannelSamples samples
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ChannelSamples.
             * @memberof rigstream.v1
             * @interface IChannelSamples
             * @augments rigstream.v1.ChannelSamples.$Properties
             * @deprecated Use rigstream.v1.ChannelSamples.$Properties instead.
             */

            /**
             * Shape of a ChannelSamples.
             * @typedef {rigstream.v1.ChannelSamples.$Properties} rigstream.v1.ChannelSamples.$Shape
             */

            /**
             * Constructs a new ChannelSamples.
             * @memberof rigstream.v1
             * @classdesc Represents a ChannelSamples.
             * @constructor
             * @param {rigstream.v1.ChannelSamples.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ChannelSamples = function (properties) {
                this.samples = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ChannelSamples id.
             * @member {string} id
             * @memberof rigstream.v1.ChannelSamples
             * @instance
             */
            ChannelSamples.prototype.id = "";

            /**
             * ChannelSamples rateHz.
             * @member {number} rateHz
             * @memberof rigstream.v1.ChannelSamples
             * @instance
             */
            ChannelSamples.prototype.rateHz = 0;

            /**
             * ChannelSamples startUs.
             * @member {number} startUs
             * @memberof rigstream.v1.ChannelSamples
             * @instance
             */
            ChannelSamples.prototype.startUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * ChannelSamples samples.
             * @member {Array.<number>} samples
             * @memberof rigstream.v1.ChannelSamples
             * @instance
             */
            ChannelSamples.prototype.samples = $util.emptyArray;

            /**
             * Creates a new ChannelSamples instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.ChannelSamples
             * @static
             * @param {rigstream.v1.ChannelSamples.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.ChannelSamples} ChannelSamples instance
             * @type {{
             *   (properties: rigstream.v1.ChannelSamples.$Shape): rigstream.v1.ChannelSamples & rigstream.v1.ChannelSamples.$Shape;
             *   (properties?: rigstream.v1.ChannelSamples.$Properties): rigstream.v1.ChannelSamples;
             * }}
             */
            ChannelSamples.create = function(properties) {
                return new ChannelSamples(properties);
            };

            /**
             * Encodes the specified ChannelSamples message. Does not implicitly {@link rigstream.v1.ChannelSamples.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.ChannelSamples
             * @static
             * @param {rigstream.v1.ChannelSamples.$Properties} message ChannelSamples message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ChannelSamples.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.rateHz != null && $Object.hasOwnProperty.call(message, "rateHz") && !$Object.is(message.rateHz, 0))
                    writer.uint32(/* id 2, wireType 1 =*/17).double(message.rateHz);
                if (message.startUs != null && $Object.hasOwnProperty.call(message, "startUs") && (typeof message.startUs === "object" ? message.startUs.low || message.startUs.high : message.startUs !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.startUs);
                if (message.samples != null && message.samples.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).floats(message.samples);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ChannelSamples message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.ChannelSamples
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.ChannelSamples & rigstream.v1.ChannelSamples.$Shape} ChannelSamples
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ChannelSamples.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.ChannelSamples();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 1)
                                break;
                            if (!$Object.is(value = reader.double(), 0))
                                message.rateHz = value;
                            else
                                delete message.rateHz;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.startUs = value;
                            else
                                delete message.startUs;
                            continue;
                        }
                    case 4: {
                            if (wireType === 2) {
                                if (!(message.samples && message.samples.length))
                                    message.samples = [];
                                reader.floats(message.samples);
                                continue;
                            }
                            if (wireType !== 5)
                                break;
                            if (!(message.samples && message.samples.length))
                                message.samples = [];
                            message.samples.push(reader.float());
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a ChannelSamples message.
             * @function verify
             * @memberof rigstream.v1.ChannelSamples
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ChannelSamples.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    if (!$util.isString(message.id))
                        return "id: string expected";
                if (message.rateHz != null && $Object.hasOwnProperty.call(message, "rateHz"))
                    if (typeof message.rateHz !== "number")
                        return "rateHz: number expected";
                if (message.startUs != null && $Object.hasOwnProperty.call(message, "startUs"))
                    if (!$util.isInteger(message.startUs) && !(message.startUs && $util.isInteger(message.startUs.low) && $util.isInteger(message.startUs.high)))
                        return "startUs: integer|Long expected";
                if (message.samples != null && $Object.hasOwnProperty.call(message, "samples")) {
                    if (!$Array.isArray(message.samples))
                        return "samples: array expected";
                    for (let i = 0; i < message.samples.length; ++i)
                        if (typeof message.samples[i] !== "number")
                            return "samples: number[] expected";
                }
                return null;
            };

            /**
             * Creates a ChannelSamples message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.ChannelSamples
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.ChannelSamples} ChannelSamples
             */
            ChannelSamples.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.ChannelSamples)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.ChannelSamples: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.ChannelSamples();
                if (object.id != null)
                    if (typeof object.id !== "string" || object.id.length)
                        message.id = $String(object.id);
                if (object.rateHz != null)
                    if (!$Object.is($Number(object.rateHz), 0))
                        message.rateHz = $Number(object.rateHz);
                if (object.startUs != null)
                    if (typeof object.startUs === "object" ? object.startUs.low || object.startUs.high : $Number(object.startUs) !== 0)
                        if ($util.Long)
                            message.startUs = $util.Long.fromValue(object.startUs, false);
                        else if (typeof object.startUs === "string")
                            message.startUs = $parseInt(object.startUs, 10);
                        else if (typeof object.startUs === "number")
                            message.startUs = object.startUs;
                        else if (typeof object.startUs === "object")
                            message.startUs = new $util.LongBits(object.startUs.low >>> 0, object.startUs.high >>> 0).toNumber();
                if (object.samples) {
                    if (!$Array.isArray(object.samples))
                        throw $TypeError(".rigstream.v1.ChannelSamples.samples: array expected");
                    message.samples = $Array(object.samples.length);
                    for (let i = 0; i < object.samples.length; ++i)
                        message.samples[i] = $Number(object.samples[i]);
                }
                return message;
            };

            /**
             * Creates a plain object from a ChannelSamples message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.ChannelSamples
             * @static
             * @param {rigstream.v1.ChannelSamples} message ChannelSamples
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ChannelSamples.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.samples = [];
                if (options.defaults) {
                    object.id = "";
                    object.rateHz = 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.startUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.startUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                if (message.rateHz != null && $Object.hasOwnProperty.call(message, "rateHz"))
                    object.rateHz = options.json && !$isFinite(message.rateHz) ? $String(message.rateHz) : message.rateHz;
                if (message.startUs != null && $Object.hasOwnProperty.call(message, "startUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.startUs = typeof message.startUs === "number" ? $BigInt(message.startUs) : $util.Long.fromBits(message.startUs.low >>> 0, message.startUs.high >>> 0, false).toBigInt();
                    else if (typeof message.startUs === "number")
                        object.startUs = options.longs === $String ? $String(message.startUs) : message.startUs;
                    else
                        object.startUs = options.longs === $String ? $util.Long.prototype.toString.call(message.startUs) : options.longs === $Number ? new $util.LongBits(message.startUs.low >>> 0, message.startUs.high >>> 0).toNumber() : message.startUs;
                if (message.samples && message.samples.length) {
                    object.samples = $Array(message.samples.length);
                    for (let j = 0; j < message.samples.length; ++j)
                        object.samples[j] = options.json && !$isFinite(message.samples[j]) ? $String(message.samples[j]) : message.samples[j];
                }
                return object;
            };

            /**
             * Converts this ChannelSamples to JSON.
             * @function toJSON
             * @memberof rigstream.v1.ChannelSamples
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ChannelSamples.prototype.toJSON = function() {
                return ChannelSamples.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ChannelSamples
             * @function getTypeUrl
             * @memberof rigstream.v1.ChannelSamples
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ChannelSamples.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.ChannelSamples";
            };

            return ChannelSamples;
        })();

        v1.FrameBatch = (function() {

            /**
             * Properties of a FrameBatch.
             * @typedef {Object} rigstream.v1.FrameBatch.$Properties
             * @property {string|null} [tenant] FrameBatch tenant
             * @property {string|null} [rig] FrameBatch rig
             * @property {number|null} [seq] FrameBatch seq
             * @property {number|null} [windowStartUs] FrameBatch windowStartUs
             * @property {number|null} [windowUs] FrameBatch windowUs
             * @property {string|null} [profile] FrameBatch profile
             * @property {Array.<rigstream.v1.ChannelSamples.$Properties>|null} [channels] FrameBatch channels
             * @property {number|null} [sentUs] FrameBatch sentUs
             * @property {number|null} [cycle] FrameBatch cycle
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a FrameBatch.
             * @memberof rigstream.v1
             * @interface IFrameBatch
             * @augments rigstream.v1.FrameBatch.$Properties
             * @deprecated Use rigstream.v1.FrameBatch.$Properties instead.
             */

            /**
             * Shape of a FrameBatch.
             * @typedef {rigstream.v1.FrameBatch.$Properties} rigstream.v1.FrameBatch.$Shape
             */

            /**
             * Constructs a new FrameBatch.
             * @memberof rigstream.v1
             * @classdesc Represents a FrameBatch.
             * @constructor
             * @param {rigstream.v1.FrameBatch.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const FrameBatch = function (properties) {
                this.channels = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * FrameBatch tenant.
             * @member {string} tenant
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.tenant = "";

            /**
             * FrameBatch rig.
             * @member {string} rig
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.rig = "";

            /**
             * FrameBatch seq.
             * @member {number} seq
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * FrameBatch windowStartUs.
             * @member {number} windowStartUs
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.windowStartUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * FrameBatch windowUs.
             * @member {number} windowUs
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.windowUs = 0;

            /**
             * FrameBatch profile.
             * @member {string} profile
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.profile = "";

            /**
             * FrameBatch channels.
             * @member {Array.<rigstream.v1.ChannelSamples.$Properties>} channels
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.channels = $util.emptyArray;

            /**
             * FrameBatch sentUs.
             * @member {number} sentUs
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.sentUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * FrameBatch cycle.
             * @member {number} cycle
             * @memberof rigstream.v1.FrameBatch
             * @instance
             */
            FrameBatch.prototype.cycle = 0;

            /**
             * Creates a new FrameBatch instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.FrameBatch
             * @static
             * @param {rigstream.v1.FrameBatch.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.FrameBatch} FrameBatch instance
             * @type {{
             *   (properties: rigstream.v1.FrameBatch.$Shape): rigstream.v1.FrameBatch & rigstream.v1.FrameBatch.$Shape;
             *   (properties?: rigstream.v1.FrameBatch.$Properties): rigstream.v1.FrameBatch;
             * }}
             */
            FrameBatch.create = function(properties) {
                return new FrameBatch(properties);
            };

            /**
             * Encodes the specified FrameBatch message. Does not implicitly {@link rigstream.v1.FrameBatch.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.FrameBatch
             * @static
             * @param {rigstream.v1.FrameBatch.$Properties} message FrameBatch message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            FrameBatch.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant") && message.tenant !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.tenant);
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig") && message.rig !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.rig);
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).uint64(message.seq);
                if (message.windowStartUs != null && $Object.hasOwnProperty.call(message, "windowStartUs") && (typeof message.windowStartUs === "object" ? message.windowStartUs.low || message.windowStartUs.high : message.windowStartUs !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.windowStartUs);
                if (message.windowUs != null && $Object.hasOwnProperty.call(message, "windowUs") && message.windowUs !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).uint32(message.windowUs);
                if (message.profile != null && $Object.hasOwnProperty.call(message, "profile") && message.profile !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.profile);
                if (message.channels != null && message.channels.length)
                    for (let i = 0; i < message.channels.length; ++i)
                        $root.rigstream.v1.ChannelSamples.encode(message.channels[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.sentUs != null && $Object.hasOwnProperty.call(message, "sentUs") && (typeof message.sentUs === "object" ? message.sentUs.low || message.sentUs.high : message.sentUs !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).int64(message.sentUs);
                if (message.cycle != null && $Object.hasOwnProperty.call(message, "cycle") && message.cycle !== 0)
                    writer.uint32(/* id 9, wireType 0 =*/72).uint32(message.cycle);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a FrameBatch message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.FrameBatch
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.FrameBatch & rigstream.v1.FrameBatch.$Shape} FrameBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            FrameBatch.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.FrameBatch();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tenant = value;
                            else
                                delete message.tenant;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.rig = value;
                            else
                                delete message.rig;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.seq = value;
                            else
                                delete message.seq;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.windowStartUs = value;
                            else
                                delete message.windowStartUs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.windowUs = value;
                            else
                                delete message.windowUs;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.profile = value;
                            else
                                delete message.profile;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (!(message.channels && message.channels.length))
                                message.channels = [];
                            message.channels.push($root.rigstream.v1.ChannelSamples.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.sentUs = value;
                            else
                                delete message.sentUs;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.cycle = value;
                            else
                                delete message.cycle;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a FrameBatch message.
             * @function verify
             * @memberof rigstream.v1.FrameBatch
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            FrameBatch.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    if (!$util.isString(message.tenant))
                        return "tenant: string expected";
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    if (!$util.isString(message.rig))
                        return "rig: string expected";
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                    if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                        return "seq: integer|Long expected";
                if (message.windowStartUs != null && $Object.hasOwnProperty.call(message, "windowStartUs"))
                    if (!$util.isInteger(message.windowStartUs) && !(message.windowStartUs && $util.isInteger(message.windowStartUs.low) && $util.isInteger(message.windowStartUs.high)))
                        return "windowStartUs: integer|Long expected";
                if (message.windowUs != null && $Object.hasOwnProperty.call(message, "windowUs"))
                    if (!$util.isInteger(message.windowUs))
                        return "windowUs: integer expected";
                if (message.profile != null && $Object.hasOwnProperty.call(message, "profile"))
                    if (!$util.isString(message.profile))
                        return "profile: string expected";
                if (message.channels != null && $Object.hasOwnProperty.call(message, "channels")) {
                    if (!$Array.isArray(message.channels))
                        return "channels: array expected";
                    for (let i = 0; i < message.channels.length; ++i) {
                        let error = $root.rigstream.v1.ChannelSamples.verify(message.channels[i], _depth + 1);
                        if (error)
                            return "channels." + error;
                    }
                }
                if (message.sentUs != null && $Object.hasOwnProperty.call(message, "sentUs"))
                    if (!$util.isInteger(message.sentUs) && !(message.sentUs && $util.isInteger(message.sentUs.low) && $util.isInteger(message.sentUs.high)))
                        return "sentUs: integer|Long expected";
                if (message.cycle != null && $Object.hasOwnProperty.call(message, "cycle"))
                    if (!$util.isInteger(message.cycle))
                        return "cycle: integer expected";
                return null;
            };

            /**
             * Creates a FrameBatch message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.FrameBatch
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.FrameBatch} FrameBatch
             */
            FrameBatch.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.FrameBatch)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.FrameBatch: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.FrameBatch();
                if (object.tenant != null)
                    if (typeof object.tenant !== "string" || object.tenant.length)
                        message.tenant = $String(object.tenant);
                if (object.rig != null)
                    if (typeof object.rig !== "string" || object.rig.length)
                        message.rig = $String(object.rig);
                if (object.seq != null)
                    if (typeof object.seq === "object" ? object.seq.low || object.seq.high : $Number(object.seq) !== 0)
                        if ($util.Long)
                            message.seq = $util.Long.fromValue(object.seq, true);
                        else if (typeof object.seq === "string")
                            message.seq = $parseInt(object.seq, 10);
                        else if (typeof object.seq === "number")
                            message.seq = object.seq;
                        else if (typeof object.seq === "object")
                            message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                if (object.windowStartUs != null)
                    if (typeof object.windowStartUs === "object" ? object.windowStartUs.low || object.windowStartUs.high : $Number(object.windowStartUs) !== 0)
                        if ($util.Long)
                            message.windowStartUs = $util.Long.fromValue(object.windowStartUs, false);
                        else if (typeof object.windowStartUs === "string")
                            message.windowStartUs = $parseInt(object.windowStartUs, 10);
                        else if (typeof object.windowStartUs === "number")
                            message.windowStartUs = object.windowStartUs;
                        else if (typeof object.windowStartUs === "object")
                            message.windowStartUs = new $util.LongBits(object.windowStartUs.low >>> 0, object.windowStartUs.high >>> 0).toNumber();
                if (object.windowUs != null)
                    if ($Number(object.windowUs) !== 0)
                        message.windowUs = object.windowUs >>> 0;
                if (object.profile != null)
                    if (typeof object.profile !== "string" || object.profile.length)
                        message.profile = $String(object.profile);
                if (object.channels) {
                    if (!$Array.isArray(object.channels))
                        throw $TypeError(".rigstream.v1.FrameBatch.channels: array expected");
                    message.channels = $Array(object.channels.length);
                    for (let i = 0; i < object.channels.length; ++i) {
                        if (!$util.isObject(object.channels[i]))
                            throw $TypeError(".rigstream.v1.FrameBatch.channels: object expected");
                        message.channels[i] = $root.rigstream.v1.ChannelSamples.fromObject(object.channels[i], _depth + 1);
                    }
                }
                if (object.sentUs != null)
                    if (typeof object.sentUs === "object" ? object.sentUs.low || object.sentUs.high : $Number(object.sentUs) !== 0)
                        if ($util.Long)
                            message.sentUs = $util.Long.fromValue(object.sentUs, false);
                        else if (typeof object.sentUs === "string")
                            message.sentUs = $parseInt(object.sentUs, 10);
                        else if (typeof object.sentUs === "number")
                            message.sentUs = object.sentUs;
                        else if (typeof object.sentUs === "object")
                            message.sentUs = new $util.LongBits(object.sentUs.low >>> 0, object.sentUs.high >>> 0).toNumber();
                if (object.cycle != null)
                    if ($Number(object.cycle) !== 0)
                        message.cycle = object.cycle >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a FrameBatch message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.FrameBatch
             * @static
             * @param {rigstream.v1.FrameBatch} message FrameBatch
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            FrameBatch.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.channels = [];
                if (options.defaults) {
                    object.tenant = "";
                    object.rig = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.seq = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.seq = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.windowStartUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.windowStartUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.windowUs = 0;
                    object.profile = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.sentUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.sentUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.cycle = 0;
                }
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    object.tenant = message.tenant;
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    object.rig = message.rig;
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.seq = typeof message.seq === "number" ? $BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                    else if (typeof message.seq === "number")
                        object.seq = options.longs === $String ? $String(message.seq) : message.seq;
                    else
                        object.seq = options.longs === $String ? $util.Long.prototype.toString.call(message.seq) : options.longs === $Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                if (message.windowStartUs != null && $Object.hasOwnProperty.call(message, "windowStartUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.windowStartUs = typeof message.windowStartUs === "number" ? $BigInt(message.windowStartUs) : $util.Long.fromBits(message.windowStartUs.low >>> 0, message.windowStartUs.high >>> 0, false).toBigInt();
                    else if (typeof message.windowStartUs === "number")
                        object.windowStartUs = options.longs === $String ? $String(message.windowStartUs) : message.windowStartUs;
                    else
                        object.windowStartUs = options.longs === $String ? $util.Long.prototype.toString.call(message.windowStartUs) : options.longs === $Number ? new $util.LongBits(message.windowStartUs.low >>> 0, message.windowStartUs.high >>> 0).toNumber() : message.windowStartUs;
                if (message.windowUs != null && $Object.hasOwnProperty.call(message, "windowUs"))
                    object.windowUs = message.windowUs;
                if (message.profile != null && $Object.hasOwnProperty.call(message, "profile"))
                    object.profile = message.profile;
                if (message.channels && message.channels.length) {
                    object.channels = $Array(message.channels.length);
                    for (let j = 0; j < message.channels.length; ++j)
                        object.channels[j] = $root.rigstream.v1.ChannelSamples.toObject(message.channels[j], options, _depth + 1);
                }
                if (message.sentUs != null && $Object.hasOwnProperty.call(message, "sentUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.sentUs = typeof message.sentUs === "number" ? $BigInt(message.sentUs) : $util.Long.fromBits(message.sentUs.low >>> 0, message.sentUs.high >>> 0, false).toBigInt();
                    else if (typeof message.sentUs === "number")
                        object.sentUs = options.longs === $String ? $String(message.sentUs) : message.sentUs;
                    else
                        object.sentUs = options.longs === $String ? $util.Long.prototype.toString.call(message.sentUs) : options.longs === $Number ? new $util.LongBits(message.sentUs.low >>> 0, message.sentUs.high >>> 0).toNumber() : message.sentUs;
                if (message.cycle != null && $Object.hasOwnProperty.call(message, "cycle"))
                    object.cycle = message.cycle;
                return object;
            };

            /**
             * Converts this FrameBatch to JSON.
             * @function toJSON
             * @memberof rigstream.v1.FrameBatch
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            FrameBatch.prototype.toJSON = function() {
                return FrameBatch.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for FrameBatch
             * @function getTypeUrl
             * @memberof rigstream.v1.FrameBatch
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            FrameBatch.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.FrameBatch";
            };

            return FrameBatch;
        })();

        v1.RigState = (function() {

            /**
             * Properties of a RigState.
             * @typedef {Object} rigstream.v1.RigState.$Properties
             * @property {rigstream.v1.RigState.Status|null} [status] RigState status
             * @property {number|null} [timeUs] RigState timeUs
             * @property {string|null} [agentVersion] RigState agentVersion
             * @property {string|null} [modelVersion] RigState modelVersion
             * @property {string|null} [profile] RigState profile
             * @property {string|null} [source] RigState source
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a RigState.
             * @memberof rigstream.v1
             * @interface IRigState
             * @augments rigstream.v1.RigState.$Properties
             * @deprecated Use rigstream.v1.RigState.$Properties instead.
             */

            /**
             * Shape of a RigState.
             * @typedef {rigstream.v1.RigState.$Properties} rigstream.v1.RigState.$Shape
             */

            /**
             * Constructs a new RigState.
             * @memberof rigstream.v1
             * @classdesc Represents a RigState.
             * @constructor
             * @param {rigstream.v1.RigState.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const RigState = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * RigState status.
             * @member {rigstream.v1.RigState.Status} status
             * @memberof rigstream.v1.RigState
             * @instance
             */
            RigState.prototype.status = 0;

            /**
             * RigState timeUs.
             * @member {number} timeUs
             * @memberof rigstream.v1.RigState
             * @instance
             */
            RigState.prototype.timeUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * RigState agentVersion.
             * @member {string} agentVersion
             * @memberof rigstream.v1.RigState
             * @instance
             */
            RigState.prototype.agentVersion = "";

            /**
             * RigState modelVersion.
             * @member {string} modelVersion
             * @memberof rigstream.v1.RigState
             * @instance
             */
            RigState.prototype.modelVersion = "";

            /**
             * RigState profile.
             * @member {string} profile
             * @memberof rigstream.v1.RigState
             * @instance
             */
            RigState.prototype.profile = "";

            /**
             * RigState source.
             * @member {string} source
             * @memberof rigstream.v1.RigState
             * @instance
             */
            RigState.prototype.source = "";

            /**
             * Creates a new RigState instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.RigState
             * @static
             * @param {rigstream.v1.RigState.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.RigState} RigState instance
             * @type {{
             *   (properties: rigstream.v1.RigState.$Shape): rigstream.v1.RigState & rigstream.v1.RigState.$Shape;
             *   (properties?: rigstream.v1.RigState.$Properties): rigstream.v1.RigState;
             * }}
             */
            RigState.create = function(properties) {
                return new RigState(properties);
            };

            /**
             * Encodes the specified RigState message. Does not implicitly {@link rigstream.v1.RigState.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.RigState
             * @static
             * @param {rigstream.v1.RigState.$Properties} message RigState message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            RigState.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.status != null && $Object.hasOwnProperty.call(message, "status") && message.status !== 0)
                    writer.uint32(/* id 1, wireType 0 =*/8).int32(message.status);
                if (message.timeUs != null && $Object.hasOwnProperty.call(message, "timeUs") && (typeof message.timeUs === "object" ? message.timeUs.low || message.timeUs.high : message.timeUs !== 0))
                    writer.uint32(/* id 2, wireType 0 =*/16).int64(message.timeUs);
                if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion") && message.agentVersion !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.agentVersion);
                if (message.modelVersion != null && $Object.hasOwnProperty.call(message, "modelVersion") && message.modelVersion !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.modelVersion);
                if (message.profile != null && $Object.hasOwnProperty.call(message, "profile") && message.profile !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.profile);
                if (message.source != null && $Object.hasOwnProperty.call(message, "source") && message.source !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.source);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a RigState message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.RigState
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.RigState & rigstream.v1.RigState.$Shape} RigState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            RigState.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.RigState();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.status = value;
                            else
                                delete message.status;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.timeUs = value;
                            else
                                delete message.timeUs;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.agentVersion = value;
                            else
                                delete message.agentVersion;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.modelVersion = value;
                            else
                                delete message.modelVersion;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.profile = value;
                            else
                                delete message.profile;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.source = value;
                            else
                                delete message.source;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a RigState message.
             * @function verify
             * @memberof rigstream.v1.RigState
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            RigState.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    if (typeof message.status !== "number" || (message.status | 0) !== message.status)
                        return "status: enum value expected";
                if (message.timeUs != null && $Object.hasOwnProperty.call(message, "timeUs"))
                    if (!$util.isInteger(message.timeUs) && !(message.timeUs && $util.isInteger(message.timeUs.low) && $util.isInteger(message.timeUs.high)))
                        return "timeUs: integer|Long expected";
                if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion"))
                    if (!$util.isString(message.agentVersion))
                        return "agentVersion: string expected";
                if (message.modelVersion != null && $Object.hasOwnProperty.call(message, "modelVersion"))
                    if (!$util.isString(message.modelVersion))
                        return "modelVersion: string expected";
                if (message.profile != null && $Object.hasOwnProperty.call(message, "profile"))
                    if (!$util.isString(message.profile))
                        return "profile: string expected";
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    if (!$util.isString(message.source))
                        return "source: string expected";
                return null;
            };

            /**
             * Creates a RigState message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.RigState
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.RigState} RigState
             */
            RigState.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.RigState)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.RigState: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.RigState();
                if (object.status !== 0 && (typeof object.status !== "string" || $root.rigstream.v1.RigState.Status[object.status] !== 0))
                    switch (object.status) {
                    case "STATUS_UNSPECIFIED":
                    case 0:
                        message.status = 0;
                        break;
                    case "ONLINE":
                    case 1:
                        message.status = 1;
                        break;
                    case "OFFLINE":
                    case 2:
                        message.status = 2;
                        break;
                    default:
                        if (typeof object.status === "number" && (object.status | 0) === object.status)
                            message.status = object.status;
                    }
                if (object.timeUs != null)
                    if (typeof object.timeUs === "object" ? object.timeUs.low || object.timeUs.high : $Number(object.timeUs) !== 0)
                        if ($util.Long)
                            message.timeUs = $util.Long.fromValue(object.timeUs, false);
                        else if (typeof object.timeUs === "string")
                            message.timeUs = $parseInt(object.timeUs, 10);
                        else if (typeof object.timeUs === "number")
                            message.timeUs = object.timeUs;
                        else if (typeof object.timeUs === "object")
                            message.timeUs = new $util.LongBits(object.timeUs.low >>> 0, object.timeUs.high >>> 0).toNumber();
                if (object.agentVersion != null)
                    if (typeof object.agentVersion !== "string" || object.agentVersion.length)
                        message.agentVersion = $String(object.agentVersion);
                if (object.modelVersion != null)
                    if (typeof object.modelVersion !== "string" || object.modelVersion.length)
                        message.modelVersion = $String(object.modelVersion);
                if (object.profile != null)
                    if (typeof object.profile !== "string" || object.profile.length)
                        message.profile = $String(object.profile);
                if (object.source != null)
                    if (typeof object.source !== "string" || object.source.length)
                        message.source = $String(object.source);
                return message;
            };

            /**
             * Creates a plain object from a RigState message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.RigState
             * @static
             * @param {rigstream.v1.RigState} message RigState
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            RigState.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.status = options.enums === $String ? "STATUS_UNSPECIFIED" : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.timeUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.timeUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.agentVersion = "";
                    object.modelVersion = "";
                    object.profile = "";
                    object.source = "";
                }
                if (message.status != null && $Object.hasOwnProperty.call(message, "status"))
                    object.status = options.enums === $String ? $root.rigstream.v1.RigState.Status[message.status] === $undefined ? message.status : $root.rigstream.v1.RigState.Status[message.status] : message.status;
                if (message.timeUs != null && $Object.hasOwnProperty.call(message, "timeUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.timeUs = typeof message.timeUs === "number" ? $BigInt(message.timeUs) : $util.Long.fromBits(message.timeUs.low >>> 0, message.timeUs.high >>> 0, false).toBigInt();
                    else if (typeof message.timeUs === "number")
                        object.timeUs = options.longs === $String ? $String(message.timeUs) : message.timeUs;
                    else
                        object.timeUs = options.longs === $String ? $util.Long.prototype.toString.call(message.timeUs) : options.longs === $Number ? new $util.LongBits(message.timeUs.low >>> 0, message.timeUs.high >>> 0).toNumber() : message.timeUs;
                if (message.agentVersion != null && $Object.hasOwnProperty.call(message, "agentVersion"))
                    object.agentVersion = message.agentVersion;
                if (message.modelVersion != null && $Object.hasOwnProperty.call(message, "modelVersion"))
                    object.modelVersion = message.modelVersion;
                if (message.profile != null && $Object.hasOwnProperty.call(message, "profile"))
                    object.profile = message.profile;
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    object.source = message.source;
                return object;
            };

            /**
             * Converts this RigState to JSON.
             * @function toJSON
             * @memberof rigstream.v1.RigState
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            RigState.prototype.toJSON = function() {
                return RigState.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for RigState
             * @function getTypeUrl
             * @memberof rigstream.v1.RigState
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            RigState.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.RigState";
            };

            /**
             * Status enum.
             * @name rigstream.v1.RigState.Status
             * @enum {number}
             * @property {number} STATUS_UNSPECIFIED=0 STATUS_UNSPECIFIED value
             * @property {number} ONLINE=1 ONLINE value
             * @property {number} OFFLINE=2 OFFLINE value
             */
            RigState.Status = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "STATUS_UNSPECIFIED"] = 0;
                values[valuesById[1] = "ONLINE"] = 1;
                values[valuesById[2] = "OFFLINE"] = 2;
                return values;
            })();

            return RigState;
        })();

        v1.HeadResult = (function() {

            /**
             * Properties of a HeadResult.
             * @typedef {Object} rigstream.v1.HeadResult.$Properties
             * @property {string|null} [target] HeadResult target
             * @property {number|null} [classIndex] HeadResult classIndex
             * @property {string|null} [label] HeadResult label
             * @property {Array.<number>|null} [probs] HeadResult probs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a HeadResult.
             * @memberof rigstream.v1
             * @interface IHeadResult
             * @augments rigstream.v1.HeadResult.$Properties
             * @deprecated Use rigstream.v1.HeadResult.$Properties instead.
             */

            /**
             * Shape of a HeadResult.
             * @typedef {rigstream.v1.HeadResult.$Properties} rigstream.v1.HeadResult.$Shape
             */

            /**
             * Constructs a new HeadResult.
             * @memberof rigstream.v1
             * @classdesc Represents a HeadResult.
             * @constructor
             * @param {rigstream.v1.HeadResult.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const HeadResult = function (properties) {
                this.probs = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * HeadResult target.
             * @member {string} target
             * @memberof rigstream.v1.HeadResult
             * @instance
             */
            HeadResult.prototype.target = "";

            /**
             * HeadResult classIndex.
             * @member {number} classIndex
             * @memberof rigstream.v1.HeadResult
             * @instance
             */
            HeadResult.prototype.classIndex = 0;

            /**
             * HeadResult label.
             * @member {string} label
             * @memberof rigstream.v1.HeadResult
             * @instance
             */
            HeadResult.prototype.label = "";

            /**
             * HeadResult probs.
             * @member {Array.<number>} probs
             * @memberof rigstream.v1.HeadResult
             * @instance
             */
            HeadResult.prototype.probs = $util.emptyArray;

            /**
             * Creates a new HeadResult instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.HeadResult
             * @static
             * @param {rigstream.v1.HeadResult.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.HeadResult} HeadResult instance
             * @type {{
             *   (properties: rigstream.v1.HeadResult.$Shape): rigstream.v1.HeadResult & rigstream.v1.HeadResult.$Shape;
             *   (properties?: rigstream.v1.HeadResult.$Properties): rigstream.v1.HeadResult;
             * }}
             */
            HeadResult.create = function(properties) {
                return new HeadResult(properties);
            };

            /**
             * Encodes the specified HeadResult message. Does not implicitly {@link rigstream.v1.HeadResult.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.HeadResult
             * @static
             * @param {rigstream.v1.HeadResult.$Properties} message HeadResult message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            HeadResult.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.target != null && $Object.hasOwnProperty.call(message, "target") && message.target !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.target);
                if (message.classIndex != null && $Object.hasOwnProperty.call(message, "classIndex") && message.classIndex !== 0)
                    writer.uint32(/* id 2, wireType 0 =*/16).uint32(message.classIndex);
                if (message.label != null && $Object.hasOwnProperty.call(message, "label") && message.label !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.label);
                if (message.probs != null && message.probs.length)
                    writer.uint32(/* id 4, wireType 2 =*/34).floats(message.probs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a HeadResult message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.HeadResult
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.HeadResult & rigstream.v1.HeadResult.$Shape} HeadResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            HeadResult.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.HeadResult();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.target = value;
                            else
                                delete message.target;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.classIndex = value;
                            else
                                delete message.classIndex;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.label = value;
                            else
                                delete message.label;
                            continue;
                        }
                    case 4: {
                            if (wireType === 2) {
                                if (!(message.probs && message.probs.length))
                                    message.probs = [];
                                reader.floats(message.probs);
                                continue;
                            }
                            if (wireType !== 5)
                                break;
                            if (!(message.probs && message.probs.length))
                                message.probs = [];
                            message.probs.push(reader.float());
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a HeadResult message.
             * @function verify
             * @memberof rigstream.v1.HeadResult
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            HeadResult.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.target != null && $Object.hasOwnProperty.call(message, "target"))
                    if (!$util.isString(message.target))
                        return "target: string expected";
                if (message.classIndex != null && $Object.hasOwnProperty.call(message, "classIndex"))
                    if (!$util.isInteger(message.classIndex))
                        return "classIndex: integer expected";
                if (message.label != null && $Object.hasOwnProperty.call(message, "label"))
                    if (!$util.isString(message.label))
                        return "label: string expected";
                if (message.probs != null && $Object.hasOwnProperty.call(message, "probs")) {
                    if (!$Array.isArray(message.probs))
                        return "probs: array expected";
                    for (let i = 0; i < message.probs.length; ++i)
                        if (typeof message.probs[i] !== "number")
                            return "probs: number[] expected";
                }
                return null;
            };

            /**
             * Creates a HeadResult message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.HeadResult
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.HeadResult} HeadResult
             */
            HeadResult.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.HeadResult)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.HeadResult: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.HeadResult();
                if (object.target != null)
                    if (typeof object.target !== "string" || object.target.length)
                        message.target = $String(object.target);
                if (object.classIndex != null)
                    if ($Number(object.classIndex) !== 0)
                        message.classIndex = object.classIndex >>> 0;
                if (object.label != null)
                    if (typeof object.label !== "string" || object.label.length)
                        message.label = $String(object.label);
                if (object.probs) {
                    if (!$Array.isArray(object.probs))
                        throw $TypeError(".rigstream.v1.HeadResult.probs: array expected");
                    message.probs = $Array(object.probs.length);
                    for (let i = 0; i < object.probs.length; ++i)
                        message.probs[i] = $Number(object.probs[i]);
                }
                return message;
            };

            /**
             * Creates a plain object from a HeadResult message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.HeadResult
             * @static
             * @param {rigstream.v1.HeadResult} message HeadResult
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            HeadResult.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.probs = [];
                if (options.defaults) {
                    object.target = "";
                    object.classIndex = 0;
                    object.label = "";
                }
                if (message.target != null && $Object.hasOwnProperty.call(message, "target"))
                    object.target = message.target;
                if (message.classIndex != null && $Object.hasOwnProperty.call(message, "classIndex"))
                    object.classIndex = message.classIndex;
                if (message.label != null && $Object.hasOwnProperty.call(message, "label"))
                    object.label = message.label;
                if (message.probs && message.probs.length) {
                    object.probs = $Array(message.probs.length);
                    for (let j = 0; j < message.probs.length; ++j)
                        object.probs[j] = options.json && !$isFinite(message.probs[j]) ? $String(message.probs[j]) : message.probs[j];
                }
                return object;
            };

            /**
             * Converts this HeadResult to JSON.
             * @function toJSON
             * @memberof rigstream.v1.HeadResult
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            HeadResult.prototype.toJSON = function() {
                return HeadResult.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for HeadResult
             * @function getTypeUrl
             * @memberof rigstream.v1.HeadResult
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            HeadResult.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.HeadResult";
            };

            return HeadResult;
        })();

        v1.Prediction = (function() {

            /**
             * Properties of a Prediction.
             * @typedef {Object} rigstream.v1.Prediction.$Properties
             * @property {string|null} [tenant] Prediction tenant
             * @property {string|null} [rig] Prediction rig
             * @property {number|null} [windowStartUs] Prediction windowStartUs
             * @property {number|null} [windowEndUs] Prediction windowEndUs
             * @property {string|null} [modelVersion] Prediction modelVersion
             * @property {rigstream.v1.Prediction.Source|null} [source] Prediction source
             * @property {Array.<rigstream.v1.HeadResult.$Properties>|null} [heads] Prediction heads
             * @property {number|null} [firstSeq] Prediction firstSeq
             * @property {number|null} [lastSeq] Prediction lastSeq
             * @property {number|null} [producedUs] Prediction producedUs
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a Prediction.
             * @memberof rigstream.v1
             * @interface IPrediction
             * @augments rigstream.v1.Prediction.$Properties
             * @deprecated Use rigstream.v1.Prediction.$Properties instead.
             */

            /**
             * Shape of a Prediction.
             * @typedef {rigstream.v1.Prediction.$Properties} rigstream.v1.Prediction.$Shape
             */

            /**
             * Constructs a new Prediction.
             * @memberof rigstream.v1
             * @classdesc Represents a Prediction.
             * @constructor
             * @param {rigstream.v1.Prediction.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Prediction = function (properties) {
                this.heads = [];
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Prediction tenant.
             * @member {string} tenant
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.tenant = "";

            /**
             * Prediction rig.
             * @member {string} rig
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.rig = "";

            /**
             * Prediction windowStartUs.
             * @member {number} windowStartUs
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.windowStartUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Prediction windowEndUs.
             * @member {number} windowEndUs
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.windowEndUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Prediction modelVersion.
             * @member {string} modelVersion
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.modelVersion = "";

            /**
             * Prediction source.
             * @member {rigstream.v1.Prediction.Source} source
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.source = 0;

            /**
             * Prediction heads.
             * @member {Array.<rigstream.v1.HeadResult.$Properties>} heads
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.heads = $util.emptyArray;

            /**
             * Prediction firstSeq.
             * @member {number} firstSeq
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.firstSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Prediction lastSeq.
             * @member {number} lastSeq
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.lastSeq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * Prediction producedUs.
             * @member {number} producedUs
             * @memberof rigstream.v1.Prediction
             * @instance
             */
            Prediction.prototype.producedUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Creates a new Prediction instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.Prediction
             * @static
             * @param {rigstream.v1.Prediction.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.Prediction} Prediction instance
             * @type {{
             *   (properties: rigstream.v1.Prediction.$Shape): rigstream.v1.Prediction & rigstream.v1.Prediction.$Shape;
             *   (properties?: rigstream.v1.Prediction.$Properties): rigstream.v1.Prediction;
             * }}
             */
            Prediction.create = function(properties) {
                return new Prediction(properties);
            };

            /**
             * Encodes the specified Prediction message. Does not implicitly {@link rigstream.v1.Prediction.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.Prediction
             * @static
             * @param {rigstream.v1.Prediction.$Properties} message Prediction message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Prediction.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant") && message.tenant !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.tenant);
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig") && message.rig !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.rig);
                if (message.windowStartUs != null && $Object.hasOwnProperty.call(message, "windowStartUs") && (typeof message.windowStartUs === "object" ? message.windowStartUs.low || message.windowStartUs.high : message.windowStartUs !== 0))
                    writer.uint32(/* id 3, wireType 0 =*/24).int64(message.windowStartUs);
                if (message.windowEndUs != null && $Object.hasOwnProperty.call(message, "windowEndUs") && (typeof message.windowEndUs === "object" ? message.windowEndUs.low || message.windowEndUs.high : message.windowEndUs !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.windowEndUs);
                if (message.modelVersion != null && $Object.hasOwnProperty.call(message, "modelVersion") && message.modelVersion !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.modelVersion);
                if (message.source != null && $Object.hasOwnProperty.call(message, "source") && message.source !== 0)
                    writer.uint32(/* id 6, wireType 0 =*/48).int32(message.source);
                if (message.heads != null && message.heads.length)
                    for (let i = 0; i < message.heads.length; ++i)
                        $root.rigstream.v1.HeadResult.encode(message.heads[i], writer.uint32(/* id 7, wireType 2 =*/58).fork(), _depth + 1).ldelim();
                if (message.firstSeq != null && $Object.hasOwnProperty.call(message, "firstSeq") && (typeof message.firstSeq === "object" ? message.firstSeq.low || message.firstSeq.high : message.firstSeq !== 0))
                    writer.uint32(/* id 8, wireType 0 =*/64).uint64(message.firstSeq);
                if (message.lastSeq != null && $Object.hasOwnProperty.call(message, "lastSeq") && (typeof message.lastSeq === "object" ? message.lastSeq.low || message.lastSeq.high : message.lastSeq !== 0))
                    writer.uint32(/* id 9, wireType 0 =*/72).uint64(message.lastSeq);
                if (message.producedUs != null && $Object.hasOwnProperty.call(message, "producedUs") && (typeof message.producedUs === "object" ? message.producedUs.low || message.producedUs.high : message.producedUs !== 0))
                    writer.uint32(/* id 10, wireType 0 =*/80).int64(message.producedUs);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a Prediction message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.Prediction
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.Prediction & rigstream.v1.Prediction.$Shape} Prediction
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Prediction.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.Prediction();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tenant = value;
                            else
                                delete message.tenant;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.rig = value;
                            else
                                delete message.rig;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.windowStartUs = value;
                            else
                                delete message.windowStartUs;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.windowEndUs = value;
                            else
                                delete message.windowEndUs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.modelVersion = value;
                            else
                                delete message.modelVersion;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.source = value;
                            else
                                delete message.source;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if (!(message.heads && message.heads.length))
                                message.heads = [];
                            message.heads.push($root.rigstream.v1.HeadResult.decode(reader, reader.size(), $undefined, _depth + 1));
                            continue;
                        }
                    case 8: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.firstSeq = value;
                            else
                                delete message.firstSeq;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.lastSeq = value;
                            else
                                delete message.lastSeq;
                            continue;
                        }
                    case 10: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.producedUs = value;
                            else
                                delete message.producedUs;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a Prediction message.
             * @function verify
             * @memberof rigstream.v1.Prediction
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Prediction.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    if (!$util.isString(message.tenant))
                        return "tenant: string expected";
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    if (!$util.isString(message.rig))
                        return "rig: string expected";
                if (message.windowStartUs != null && $Object.hasOwnProperty.call(message, "windowStartUs"))
                    if (!$util.isInteger(message.windowStartUs) && !(message.windowStartUs && $util.isInteger(message.windowStartUs.low) && $util.isInteger(message.windowStartUs.high)))
                        return "windowStartUs: integer|Long expected";
                if (message.windowEndUs != null && $Object.hasOwnProperty.call(message, "windowEndUs"))
                    if (!$util.isInteger(message.windowEndUs) && !(message.windowEndUs && $util.isInteger(message.windowEndUs.low) && $util.isInteger(message.windowEndUs.high)))
                        return "windowEndUs: integer|Long expected";
                if (message.modelVersion != null && $Object.hasOwnProperty.call(message, "modelVersion"))
                    if (!$util.isString(message.modelVersion))
                        return "modelVersion: string expected";
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    if (typeof message.source !== "number" || (message.source | 0) !== message.source)
                        return "source: enum value expected";
                if (message.heads != null && $Object.hasOwnProperty.call(message, "heads")) {
                    if (!$Array.isArray(message.heads))
                        return "heads: array expected";
                    for (let i = 0; i < message.heads.length; ++i) {
                        let error = $root.rigstream.v1.HeadResult.verify(message.heads[i], _depth + 1);
                        if (error)
                            return "heads." + error;
                    }
                }
                if (message.firstSeq != null && $Object.hasOwnProperty.call(message, "firstSeq"))
                    if (!$util.isInteger(message.firstSeq) && !(message.firstSeq && $util.isInteger(message.firstSeq.low) && $util.isInteger(message.firstSeq.high)))
                        return "firstSeq: integer|Long expected";
                if (message.lastSeq != null && $Object.hasOwnProperty.call(message, "lastSeq"))
                    if (!$util.isInteger(message.lastSeq) && !(message.lastSeq && $util.isInteger(message.lastSeq.low) && $util.isInteger(message.lastSeq.high)))
                        return "lastSeq: integer|Long expected";
                if (message.producedUs != null && $Object.hasOwnProperty.call(message, "producedUs"))
                    if (!$util.isInteger(message.producedUs) && !(message.producedUs && $util.isInteger(message.producedUs.low) && $util.isInteger(message.producedUs.high)))
                        return "producedUs: integer|Long expected";
                return null;
            };

            /**
             * Creates a Prediction message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.Prediction
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.Prediction} Prediction
             */
            Prediction.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.Prediction)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.Prediction: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.Prediction();
                if (object.tenant != null)
                    if (typeof object.tenant !== "string" || object.tenant.length)
                        message.tenant = $String(object.tenant);
                if (object.rig != null)
                    if (typeof object.rig !== "string" || object.rig.length)
                        message.rig = $String(object.rig);
                if (object.windowStartUs != null)
                    if (typeof object.windowStartUs === "object" ? object.windowStartUs.low || object.windowStartUs.high : $Number(object.windowStartUs) !== 0)
                        if ($util.Long)
                            message.windowStartUs = $util.Long.fromValue(object.windowStartUs, false);
                        else if (typeof object.windowStartUs === "string")
                            message.windowStartUs = $parseInt(object.windowStartUs, 10);
                        else if (typeof object.windowStartUs === "number")
                            message.windowStartUs = object.windowStartUs;
                        else if (typeof object.windowStartUs === "object")
                            message.windowStartUs = new $util.LongBits(object.windowStartUs.low >>> 0, object.windowStartUs.high >>> 0).toNumber();
                if (object.windowEndUs != null)
                    if (typeof object.windowEndUs === "object" ? object.windowEndUs.low || object.windowEndUs.high : $Number(object.windowEndUs) !== 0)
                        if ($util.Long)
                            message.windowEndUs = $util.Long.fromValue(object.windowEndUs, false);
                        else if (typeof object.windowEndUs === "string")
                            message.windowEndUs = $parseInt(object.windowEndUs, 10);
                        else if (typeof object.windowEndUs === "number")
                            message.windowEndUs = object.windowEndUs;
                        else if (typeof object.windowEndUs === "object")
                            message.windowEndUs = new $util.LongBits(object.windowEndUs.low >>> 0, object.windowEndUs.high >>> 0).toNumber();
                if (object.modelVersion != null)
                    if (typeof object.modelVersion !== "string" || object.modelVersion.length)
                        message.modelVersion = $String(object.modelVersion);
                if (object.source !== 0 && (typeof object.source !== "string" || $root.rigstream.v1.Prediction.Source[object.source] !== 0))
                    switch (object.source) {
                    case "SOURCE_UNSPECIFIED":
                    case 0:
                        message.source = 0;
                        break;
                    case "EDGE":
                    case 1:
                        message.source = 1;
                        break;
                    case "CLOUD":
                    case 2:
                        message.source = 2;
                        break;
                    default:
                        if (typeof object.source === "number" && (object.source | 0) === object.source)
                            message.source = object.source;
                    }
                if (object.heads) {
                    if (!$Array.isArray(object.heads))
                        throw $TypeError(".rigstream.v1.Prediction.heads: array expected");
                    message.heads = $Array(object.heads.length);
                    for (let i = 0; i < object.heads.length; ++i) {
                        if (!$util.isObject(object.heads[i]))
                            throw $TypeError(".rigstream.v1.Prediction.heads: object expected");
                        message.heads[i] = $root.rigstream.v1.HeadResult.fromObject(object.heads[i], _depth + 1);
                    }
                }
                if (object.firstSeq != null)
                    if (typeof object.firstSeq === "object" ? object.firstSeq.low || object.firstSeq.high : $Number(object.firstSeq) !== 0)
                        if ($util.Long)
                            message.firstSeq = $util.Long.fromValue(object.firstSeq, true);
                        else if (typeof object.firstSeq === "string")
                            message.firstSeq = $parseInt(object.firstSeq, 10);
                        else if (typeof object.firstSeq === "number")
                            message.firstSeq = object.firstSeq;
                        else if (typeof object.firstSeq === "object")
                            message.firstSeq = new $util.LongBits(object.firstSeq.low >>> 0, object.firstSeq.high >>> 0).toNumber(true);
                if (object.lastSeq != null)
                    if (typeof object.lastSeq === "object" ? object.lastSeq.low || object.lastSeq.high : $Number(object.lastSeq) !== 0)
                        if ($util.Long)
                            message.lastSeq = $util.Long.fromValue(object.lastSeq, true);
                        else if (typeof object.lastSeq === "string")
                            message.lastSeq = $parseInt(object.lastSeq, 10);
                        else if (typeof object.lastSeq === "number")
                            message.lastSeq = object.lastSeq;
                        else if (typeof object.lastSeq === "object")
                            message.lastSeq = new $util.LongBits(object.lastSeq.low >>> 0, object.lastSeq.high >>> 0).toNumber(true);
                if (object.producedUs != null)
                    if (typeof object.producedUs === "object" ? object.producedUs.low || object.producedUs.high : $Number(object.producedUs) !== 0)
                        if ($util.Long)
                            message.producedUs = $util.Long.fromValue(object.producedUs, false);
                        else if (typeof object.producedUs === "string")
                            message.producedUs = $parseInt(object.producedUs, 10);
                        else if (typeof object.producedUs === "number")
                            message.producedUs = object.producedUs;
                        else if (typeof object.producedUs === "object")
                            message.producedUs = new $util.LongBits(object.producedUs.low >>> 0, object.producedUs.high >>> 0).toNumber();
                return message;
            };

            /**
             * Creates a plain object from a Prediction message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.Prediction
             * @static
             * @param {rigstream.v1.Prediction} message Prediction
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Prediction.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.arrays || options.defaults)
                    object.heads = [];
                if (options.defaults) {
                    object.tenant = "";
                    object.rig = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.windowStartUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.windowStartUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.windowEndUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.windowEndUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.modelVersion = "";
                    object.source = options.enums === $String ? "SOURCE_UNSPECIFIED" : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.firstSeq = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.firstSeq = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.lastSeq = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.lastSeq = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.producedUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.producedUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                }
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    object.tenant = message.tenant;
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    object.rig = message.rig;
                if (message.windowStartUs != null && $Object.hasOwnProperty.call(message, "windowStartUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.windowStartUs = typeof message.windowStartUs === "number" ? $BigInt(message.windowStartUs) : $util.Long.fromBits(message.windowStartUs.low >>> 0, message.windowStartUs.high >>> 0, false).toBigInt();
                    else if (typeof message.windowStartUs === "number")
                        object.windowStartUs = options.longs === $String ? $String(message.windowStartUs) : message.windowStartUs;
                    else
                        object.windowStartUs = options.longs === $String ? $util.Long.prototype.toString.call(message.windowStartUs) : options.longs === $Number ? new $util.LongBits(message.windowStartUs.low >>> 0, message.windowStartUs.high >>> 0).toNumber() : message.windowStartUs;
                if (message.windowEndUs != null && $Object.hasOwnProperty.call(message, "windowEndUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.windowEndUs = typeof message.windowEndUs === "number" ? $BigInt(message.windowEndUs) : $util.Long.fromBits(message.windowEndUs.low >>> 0, message.windowEndUs.high >>> 0, false).toBigInt();
                    else if (typeof message.windowEndUs === "number")
                        object.windowEndUs = options.longs === $String ? $String(message.windowEndUs) : message.windowEndUs;
                    else
                        object.windowEndUs = options.longs === $String ? $util.Long.prototype.toString.call(message.windowEndUs) : options.longs === $Number ? new $util.LongBits(message.windowEndUs.low >>> 0, message.windowEndUs.high >>> 0).toNumber() : message.windowEndUs;
                if (message.modelVersion != null && $Object.hasOwnProperty.call(message, "modelVersion"))
                    object.modelVersion = message.modelVersion;
                if (message.source != null && $Object.hasOwnProperty.call(message, "source"))
                    object.source = options.enums === $String ? $root.rigstream.v1.Prediction.Source[message.source] === $undefined ? message.source : $root.rigstream.v1.Prediction.Source[message.source] : message.source;
                if (message.heads && message.heads.length) {
                    object.heads = $Array(message.heads.length);
                    for (let j = 0; j < message.heads.length; ++j)
                        object.heads[j] = $root.rigstream.v1.HeadResult.toObject(message.heads[j], options, _depth + 1);
                }
                if (message.firstSeq != null && $Object.hasOwnProperty.call(message, "firstSeq"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.firstSeq = typeof message.firstSeq === "number" ? $BigInt(message.firstSeq) : $util.Long.fromBits(message.firstSeq.low >>> 0, message.firstSeq.high >>> 0, true).toBigInt();
                    else if (typeof message.firstSeq === "number")
                        object.firstSeq = options.longs === $String ? $String(message.firstSeq) : message.firstSeq;
                    else
                        object.firstSeq = options.longs === $String ? $util.Long.prototype.toString.call(message.firstSeq) : options.longs === $Number ? new $util.LongBits(message.firstSeq.low >>> 0, message.firstSeq.high >>> 0).toNumber(true) : message.firstSeq;
                if (message.lastSeq != null && $Object.hasOwnProperty.call(message, "lastSeq"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.lastSeq = typeof message.lastSeq === "number" ? $BigInt(message.lastSeq) : $util.Long.fromBits(message.lastSeq.low >>> 0, message.lastSeq.high >>> 0, true).toBigInt();
                    else if (typeof message.lastSeq === "number")
                        object.lastSeq = options.longs === $String ? $String(message.lastSeq) : message.lastSeq;
                    else
                        object.lastSeq = options.longs === $String ? $util.Long.prototype.toString.call(message.lastSeq) : options.longs === $Number ? new $util.LongBits(message.lastSeq.low >>> 0, message.lastSeq.high >>> 0).toNumber(true) : message.lastSeq;
                if (message.producedUs != null && $Object.hasOwnProperty.call(message, "producedUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.producedUs = typeof message.producedUs === "number" ? $BigInt(message.producedUs) : $util.Long.fromBits(message.producedUs.low >>> 0, message.producedUs.high >>> 0, false).toBigInt();
                    else if (typeof message.producedUs === "number")
                        object.producedUs = options.longs === $String ? $String(message.producedUs) : message.producedUs;
                    else
                        object.producedUs = options.longs === $String ? $util.Long.prototype.toString.call(message.producedUs) : options.longs === $Number ? new $util.LongBits(message.producedUs.low >>> 0, message.producedUs.high >>> 0).toNumber() : message.producedUs;
                return object;
            };

            /**
             * Converts this Prediction to JSON.
             * @function toJSON
             * @memberof rigstream.v1.Prediction
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Prediction.prototype.toJSON = function() {
                return Prediction.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Prediction
             * @function getTypeUrl
             * @memberof rigstream.v1.Prediction
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Prediction.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.Prediction";
            };

            /**
             * Source enum.
             * @name rigstream.v1.Prediction.Source
             * @enum {number}
             * @property {number} SOURCE_UNSPECIFIED=0 SOURCE_UNSPECIFIED value
             * @property {number} EDGE=1 EDGE value
             * @property {number} CLOUD=2 CLOUD value
             */
            Prediction.Source = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "SOURCE_UNSPECIFIED"] = 0;
                values[valuesById[1] = "EDGE"] = 1;
                values[valuesById[2] = "CLOUD"] = 2;
                return values;
            })();

            return Prediction;
        })();

        v1.Alert = (function() {

            /**
             * Properties of an Alert.
             * @typedef {Object} rigstream.v1.Alert.$Properties
             * @property {string|null} [id] Alert id
             * @property {string|null} [tenant] Alert tenant
             * @property {string|null} [rig] Alert rig
             * @property {number|null} [timeUs] Alert timeUs
             * @property {rigstream.v1.Alert.Severity|null} [severity] Alert severity
             * @property {string|null} [component] Alert component
             * @property {string|null} [rule] Alert rule
             * @property {string|null} [message] Alert message
             * @property {boolean|null} [raisedOffline] Alert raisedOffline
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of an Alert.
             * @memberof rigstream.v1
             * @interface IAlert
             * @augments rigstream.v1.Alert.$Properties
             * @deprecated Use rigstream.v1.Alert.$Properties instead.
             */

            /**
             * Shape of an Alert.
             * @typedef {rigstream.v1.Alert.$Properties} rigstream.v1.Alert.$Shape
             */

            /**
             * Constructs a new Alert.
             * @memberof rigstream.v1
             * @classdesc Represents an Alert.
             * @constructor
             * @param {rigstream.v1.Alert.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const Alert = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * Alert id.
             * @member {string} id
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.id = "";

            /**
             * Alert tenant.
             * @member {string} tenant
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.tenant = "";

            /**
             * Alert rig.
             * @member {string} rig
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.rig = "";

            /**
             * Alert timeUs.
             * @member {number} timeUs
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.timeUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * Alert severity.
             * @member {rigstream.v1.Alert.Severity} severity
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.severity = 0;

            /**
             * Alert component.
             * @member {string} component
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.component = "";

            /**
             * Alert rule.
             * @member {string} rule
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.rule = "";

            /**
             * Alert message.
             * @member {string} message
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.message = "";

            /**
             * Alert raisedOffline.
             * @member {boolean} raisedOffline
             * @memberof rigstream.v1.Alert
             * @instance
             */
            Alert.prototype.raisedOffline = false;

            /**
             * Creates a new Alert instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.Alert
             * @static
             * @param {rigstream.v1.Alert.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.Alert} Alert instance
             * @type {{
             *   (properties: rigstream.v1.Alert.$Shape): rigstream.v1.Alert & rigstream.v1.Alert.$Shape;
             *   (properties?: rigstream.v1.Alert.$Properties): rigstream.v1.Alert;
             * }}
             */
            Alert.create = function(properties) {
                return new Alert(properties);
            };

            /**
             * Encodes the specified Alert message. Does not implicitly {@link rigstream.v1.Alert.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.Alert
             * @static
             * @param {rigstream.v1.Alert.$Properties} message Alert message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            Alert.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.id != null && $Object.hasOwnProperty.call(message, "id") && message.id !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.id);
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant") && message.tenant !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.tenant);
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig") && message.rig !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.rig);
                if (message.timeUs != null && $Object.hasOwnProperty.call(message, "timeUs") && (typeof message.timeUs === "object" ? message.timeUs.low || message.timeUs.high : message.timeUs !== 0))
                    writer.uint32(/* id 4, wireType 0 =*/32).int64(message.timeUs);
                if (message.severity != null && $Object.hasOwnProperty.call(message, "severity") && message.severity !== 0)
                    writer.uint32(/* id 5, wireType 0 =*/40).int32(message.severity);
                if (message.component != null && $Object.hasOwnProperty.call(message, "component") && message.component !== "")
                    writer.uint32(/* id 6, wireType 2 =*/50).string(message.component);
                if (message.rule != null && $Object.hasOwnProperty.call(message, "rule") && message.rule !== "")
                    writer.uint32(/* id 7, wireType 2 =*/58).string(message.rule);
                if (message.message != null && $Object.hasOwnProperty.call(message, "message") && message.message !== "")
                    writer.uint32(/* id 8, wireType 2 =*/66).string(message.message);
                if (message.raisedOffline != null && $Object.hasOwnProperty.call(message, "raisedOffline") && message.raisedOffline !== false)
                    writer.uint32(/* id 9, wireType 0 =*/72).bool(message.raisedOffline);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes an Alert message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.Alert
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.Alert & rigstream.v1.Alert.$Shape} Alert
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            Alert.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.Alert();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.id = value;
                            else
                                delete message.id;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tenant = value;
                            else
                                delete message.tenant;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.rig = value;
                            else
                                delete message.rig;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.timeUs = value;
                            else
                                delete message.timeUs;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.int32())
                                message.severity = value;
                            else
                                delete message.severity;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.component = value;
                            else
                                delete message.component;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.rule = value;
                            else
                                delete message.rule;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.message = value;
                            else
                                delete message.message;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.raisedOffline = value;
                            else
                                delete message.raisedOffline;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies an Alert message.
             * @function verify
             * @memberof rigstream.v1.Alert
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            Alert.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    if (!$util.isString(message.id))
                        return "id: string expected";
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    if (!$util.isString(message.tenant))
                        return "tenant: string expected";
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    if (!$util.isString(message.rig))
                        return "rig: string expected";
                if (message.timeUs != null && $Object.hasOwnProperty.call(message, "timeUs"))
                    if (!$util.isInteger(message.timeUs) && !(message.timeUs && $util.isInteger(message.timeUs.low) && $util.isInteger(message.timeUs.high)))
                        return "timeUs: integer|Long expected";
                if (message.severity != null && $Object.hasOwnProperty.call(message, "severity"))
                    if (typeof message.severity !== "number" || (message.severity | 0) !== message.severity)
                        return "severity: enum value expected";
                if (message.component != null && $Object.hasOwnProperty.call(message, "component"))
                    if (!$util.isString(message.component))
                        return "component: string expected";
                if (message.rule != null && $Object.hasOwnProperty.call(message, "rule"))
                    if (!$util.isString(message.rule))
                        return "rule: string expected";
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    if (!$util.isString(message.message))
                        return "message: string expected";
                if (message.raisedOffline != null && $Object.hasOwnProperty.call(message, "raisedOffline"))
                    if (typeof message.raisedOffline !== "boolean")
                        return "raisedOffline: boolean expected";
                return null;
            };

            /**
             * Creates an Alert message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.Alert
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.Alert} Alert
             */
            Alert.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.Alert)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.Alert: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.Alert();
                if (object.id != null)
                    if (typeof object.id !== "string" || object.id.length)
                        message.id = $String(object.id);
                if (object.tenant != null)
                    if (typeof object.tenant !== "string" || object.tenant.length)
                        message.tenant = $String(object.tenant);
                if (object.rig != null)
                    if (typeof object.rig !== "string" || object.rig.length)
                        message.rig = $String(object.rig);
                if (object.timeUs != null)
                    if (typeof object.timeUs === "object" ? object.timeUs.low || object.timeUs.high : $Number(object.timeUs) !== 0)
                        if ($util.Long)
                            message.timeUs = $util.Long.fromValue(object.timeUs, false);
                        else if (typeof object.timeUs === "string")
                            message.timeUs = $parseInt(object.timeUs, 10);
                        else if (typeof object.timeUs === "number")
                            message.timeUs = object.timeUs;
                        else if (typeof object.timeUs === "object")
                            message.timeUs = new $util.LongBits(object.timeUs.low >>> 0, object.timeUs.high >>> 0).toNumber();
                if (object.severity !== 0 && (typeof object.severity !== "string" || $root.rigstream.v1.Alert.Severity[object.severity] !== 0))
                    switch (object.severity) {
                    case "SEVERITY_UNSPECIFIED":
                    case 0:
                        message.severity = 0;
                        break;
                    case "INFO":
                    case 1:
                        message.severity = 1;
                        break;
                    case "WARNING":
                    case 2:
                        message.severity = 2;
                        break;
                    case "CRITICAL":
                    case 3:
                        message.severity = 3;
                        break;
                    default:
                        if (typeof object.severity === "number" && (object.severity | 0) === object.severity)
                            message.severity = object.severity;
                    }
                if (object.component != null)
                    if (typeof object.component !== "string" || object.component.length)
                        message.component = $String(object.component);
                if (object.rule != null)
                    if (typeof object.rule !== "string" || object.rule.length)
                        message.rule = $String(object.rule);
                if (object.message != null)
                    if (typeof object.message !== "string" || object.message.length)
                        message.message = $String(object.message);
                if (object.raisedOffline != null)
                    if (object.raisedOffline)
                        message.raisedOffline = $Boolean(object.raisedOffline);
                return message;
            };

            /**
             * Creates a plain object from an Alert message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.Alert
             * @static
             * @param {rigstream.v1.Alert} message Alert
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            Alert.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.id = "";
                    object.tenant = "";
                    object.rig = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.timeUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.timeUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    object.severity = options.enums === $String ? "SEVERITY_UNSPECIFIED" : 0;
                    object.component = "";
                    object.rule = "";
                    object.message = "";
                    object.raisedOffline = false;
                }
                if (message.id != null && $Object.hasOwnProperty.call(message, "id"))
                    object.id = message.id;
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    object.tenant = message.tenant;
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    object.rig = message.rig;
                if (message.timeUs != null && $Object.hasOwnProperty.call(message, "timeUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.timeUs = typeof message.timeUs === "number" ? $BigInt(message.timeUs) : $util.Long.fromBits(message.timeUs.low >>> 0, message.timeUs.high >>> 0, false).toBigInt();
                    else if (typeof message.timeUs === "number")
                        object.timeUs = options.longs === $String ? $String(message.timeUs) : message.timeUs;
                    else
                        object.timeUs = options.longs === $String ? $util.Long.prototype.toString.call(message.timeUs) : options.longs === $Number ? new $util.LongBits(message.timeUs.low >>> 0, message.timeUs.high >>> 0).toNumber() : message.timeUs;
                if (message.severity != null && $Object.hasOwnProperty.call(message, "severity"))
                    object.severity = options.enums === $String ? $root.rigstream.v1.Alert.Severity[message.severity] === $undefined ? message.severity : $root.rigstream.v1.Alert.Severity[message.severity] : message.severity;
                if (message.component != null && $Object.hasOwnProperty.call(message, "component"))
                    object.component = message.component;
                if (message.rule != null && $Object.hasOwnProperty.call(message, "rule"))
                    object.rule = message.rule;
                if (message.message != null && $Object.hasOwnProperty.call(message, "message"))
                    object.message = message.message;
                if (message.raisedOffline != null && $Object.hasOwnProperty.call(message, "raisedOffline"))
                    object.raisedOffline = message.raisedOffline;
                return object;
            };

            /**
             * Converts this Alert to JSON.
             * @function toJSON
             * @memberof rigstream.v1.Alert
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            Alert.prototype.toJSON = function() {
                return Alert.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for Alert
             * @function getTypeUrl
             * @memberof rigstream.v1.Alert
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            Alert.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.Alert";
            };

            /**
             * Severity enum.
             * @name rigstream.v1.Alert.Severity
             * @enum {number}
             * @property {number} SEVERITY_UNSPECIFIED=0 SEVERITY_UNSPECIFIED value
             * @property {number} INFO=1 INFO value
             * @property {number} WARNING=2 WARNING value
             * @property {number} CRITICAL=3 CRITICAL value
             */
            Alert.Severity = (function() {
                const valuesById = $Object.create(null), values = $Object.create(valuesById);
                values[valuesById[0] = "SEVERITY_UNSPECIFIED"] = 0;
                values[valuesById[1] = "INFO"] = 1;
                values[valuesById[2] = "WARNING"] = 2;
                values[valuesById[3] = "CRITICAL"] = 3;
                return values;
            })();

            return Alert;
        })();

        v1.DeadLetter = (function() {

            /**
             * Properties of a DeadLetter.
             * @typedef {Object} rigstream.v1.DeadLetter.$Properties
             * @property {string|null} [reason] DeadLetter reason
             * @property {string|null} [detail] DeadLetter detail
             * @property {string|null} [topic] DeadLetter topic
             * @property {string|null} [tenant] DeadLetter tenant
             * @property {string|null} [rig] DeadLetter rig
             * @property {number|null} [seq] DeadLetter seq
             * @property {number|null} [receivedUs] DeadLetter receivedUs
             * @property {Uint8Array|null} [payload] DeadLetter payload
             * @property {number|null} [payloadSize] DeadLetter payloadSize
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a DeadLetter.
             * @memberof rigstream.v1
             * @interface IDeadLetter
             * @augments rigstream.v1.DeadLetter.$Properties
             * @deprecated Use rigstream.v1.DeadLetter.$Properties instead.
             */

            /**
             * Shape of a DeadLetter.
             * @typedef {rigstream.v1.DeadLetter.$Properties} rigstream.v1.DeadLetter.$Shape
             */

            /**
             * Constructs a new DeadLetter.
             * @memberof rigstream.v1
             * @classdesc Represents a DeadLetter.
             * @constructor
             * @param {rigstream.v1.DeadLetter.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const DeadLetter = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * DeadLetter reason.
             * @member {string} reason
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.reason = "";

            /**
             * DeadLetter detail.
             * @member {string} detail
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.detail = "";

            /**
             * DeadLetter topic.
             * @member {string} topic
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.topic = "";

            /**
             * DeadLetter tenant.
             * @member {string} tenant
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.tenant = "";

            /**
             * DeadLetter rig.
             * @member {string} rig
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.rig = "";

            /**
             * DeadLetter seq.
             * @member {number} seq
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.seq = $util.Long ? $util.Long.fromBits(0,0,true) : 0;

            /**
             * DeadLetter receivedUs.
             * @member {number} receivedUs
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.receivedUs = $util.Long ? $util.Long.fromBits(0,0,false) : 0;

            /**
             * DeadLetter payload.
             * @member {Uint8Array} payload
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.payload = $util.newBuffer([]);

            /**
             * DeadLetter payloadSize.
             * @member {number} payloadSize
             * @memberof rigstream.v1.DeadLetter
             * @instance
             */
            DeadLetter.prototype.payloadSize = 0;

            /**
             * Creates a new DeadLetter instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.DeadLetter
             * @static
             * @param {rigstream.v1.DeadLetter.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.DeadLetter} DeadLetter instance
             * @type {{
             *   (properties: rigstream.v1.DeadLetter.$Shape): rigstream.v1.DeadLetter & rigstream.v1.DeadLetter.$Shape;
             *   (properties?: rigstream.v1.DeadLetter.$Properties): rigstream.v1.DeadLetter;
             * }}
             */
            DeadLetter.create = function(properties) {
                return new DeadLetter(properties);
            };

            /**
             * Encodes the specified DeadLetter message. Does not implicitly {@link rigstream.v1.DeadLetter.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.DeadLetter
             * @static
             * @param {rigstream.v1.DeadLetter.$Properties} message DeadLetter message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            DeadLetter.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason") && message.reason !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.reason);
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail") && message.detail !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.detail);
                if (message.topic != null && $Object.hasOwnProperty.call(message, "topic") && message.topic !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.topic);
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant") && message.tenant !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.tenant);
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig") && message.rig !== "")
                    writer.uint32(/* id 5, wireType 2 =*/42).string(message.rig);
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq") && (typeof message.seq === "object" ? message.seq.low || message.seq.high : message.seq !== 0))
                    writer.uint32(/* id 6, wireType 0 =*/48).uint64(message.seq);
                if (message.receivedUs != null && $Object.hasOwnProperty.call(message, "receivedUs") && (typeof message.receivedUs === "object" ? message.receivedUs.low || message.receivedUs.high : message.receivedUs !== 0))
                    writer.uint32(/* id 7, wireType 0 =*/56).int64(message.receivedUs);
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload") && message.payload.length)
                    writer.uint32(/* id 8, wireType 2 =*/66).bytes(message.payload);
                if (message.payloadSize != null && $Object.hasOwnProperty.call(message, "payloadSize") && message.payloadSize !== 0)
                    writer.uint32(/* id 9, wireType 0 =*/72).uint32(message.payloadSize);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a DeadLetter message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.DeadLetter
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.DeadLetter & rigstream.v1.DeadLetter.$Shape} DeadLetter
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            DeadLetter.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.DeadLetter();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.reason = value;
                            else
                                delete message.reason;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.detail = value;
                            else
                                delete message.detail;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.topic = value;
                            else
                                delete message.topic;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.tenant = value;
                            else
                                delete message.tenant;
                            continue;
                        }
                    case 5: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.rig = value;
                            else
                                delete message.rig;
                            continue;
                        }
                    case 6: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.uint64()) === "object" ? value.low || value.high : value !== 0)
                                message.seq = value;
                            else
                                delete message.seq;
                            continue;
                        }
                    case 7: {
                            if (wireType !== 0)
                                break;
                            if (typeof (value = reader.int64()) === "object" ? value.low || value.high : value !== 0)
                                message.receivedUs = value;
                            else
                                delete message.receivedUs;
                            continue;
                        }
                    case 8: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.bytes()).length)
                                message.payload = value;
                            else
                                delete message.payload;
                            continue;
                        }
                    case 9: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.uint32())
                                message.payloadSize = value;
                            else
                                delete message.payloadSize;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a DeadLetter message.
             * @function verify
             * @memberof rigstream.v1.DeadLetter
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            DeadLetter.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    if (!$util.isString(message.reason))
                        return "reason: string expected";
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail"))
                    if (!$util.isString(message.detail))
                        return "detail: string expected";
                if (message.topic != null && $Object.hasOwnProperty.call(message, "topic"))
                    if (!$util.isString(message.topic))
                        return "topic: string expected";
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    if (!$util.isString(message.tenant))
                        return "tenant: string expected";
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    if (!$util.isString(message.rig))
                        return "rig: string expected";
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                    if (!$util.isInteger(message.seq) && !(message.seq && $util.isInteger(message.seq.low) && $util.isInteger(message.seq.high)))
                        return "seq: integer|Long expected";
                if (message.receivedUs != null && $Object.hasOwnProperty.call(message, "receivedUs"))
                    if (!$util.isInteger(message.receivedUs) && !(message.receivedUs && $util.isInteger(message.receivedUs.low) && $util.isInteger(message.receivedUs.high)))
                        return "receivedUs: integer|Long expected";
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                    if (!(message.payload && typeof message.payload.length === "number" || $util.isString(message.payload)))
                        return "payload: buffer expected";
                if (message.payloadSize != null && $Object.hasOwnProperty.call(message, "payloadSize"))
                    if (!$util.isInteger(message.payloadSize))
                        return "payloadSize: integer expected";
                return null;
            };

            /**
             * Creates a DeadLetter message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.DeadLetter
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.DeadLetter} DeadLetter
             */
            DeadLetter.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.DeadLetter)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.DeadLetter: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.DeadLetter();
                if (object.reason != null)
                    if (typeof object.reason !== "string" || object.reason.length)
                        message.reason = $String(object.reason);
                if (object.detail != null)
                    if (typeof object.detail !== "string" || object.detail.length)
                        message.detail = $String(object.detail);
                if (object.topic != null)
                    if (typeof object.topic !== "string" || object.topic.length)
                        message.topic = $String(object.topic);
                if (object.tenant != null)
                    if (typeof object.tenant !== "string" || object.tenant.length)
                        message.tenant = $String(object.tenant);
                if (object.rig != null)
                    if (typeof object.rig !== "string" || object.rig.length)
                        message.rig = $String(object.rig);
                if (object.seq != null)
                    if (typeof object.seq === "object" ? object.seq.low || object.seq.high : $Number(object.seq) !== 0)
                        if ($util.Long)
                            message.seq = $util.Long.fromValue(object.seq, true);
                        else if (typeof object.seq === "string")
                            message.seq = $parseInt(object.seq, 10);
                        else if (typeof object.seq === "number")
                            message.seq = object.seq;
                        else if (typeof object.seq === "object")
                            message.seq = new $util.LongBits(object.seq.low >>> 0, object.seq.high >>> 0).toNumber(true);
                if (object.receivedUs != null)
                    if (typeof object.receivedUs === "object" ? object.receivedUs.low || object.receivedUs.high : $Number(object.receivedUs) !== 0)
                        if ($util.Long)
                            message.receivedUs = $util.Long.fromValue(object.receivedUs, false);
                        else if (typeof object.receivedUs === "string")
                            message.receivedUs = $parseInt(object.receivedUs, 10);
                        else if (typeof object.receivedUs === "number")
                            message.receivedUs = object.receivedUs;
                        else if (typeof object.receivedUs === "object")
                            message.receivedUs = new $util.LongBits(object.receivedUs.low >>> 0, object.receivedUs.high >>> 0).toNumber();
                if (object.payload != null)
                    if (object.payload.length)
                        if (typeof object.payload === "string")
                            $util.base64.decode(object.payload, message.payload = $util.newBuffer($util.base64.length(object.payload)), 0);
                        else if (object.payload.length >= 0)
                            message.payload = object.payload;
                if (object.payloadSize != null)
                    if ($Number(object.payloadSize) !== 0)
                        message.payloadSize = object.payloadSize >>> 0;
                return message;
            };

            /**
             * Creates a plain object from a DeadLetter message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.DeadLetter
             * @static
             * @param {rigstream.v1.DeadLetter} message DeadLetter
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            DeadLetter.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.reason = "";
                    object.detail = "";
                    object.topic = "";
                    object.tenant = "";
                    object.rig = "";
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, true);
                        object.seq = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.seq = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if ($util.Long) {
                        let long = new $util.Long(0, 0, false);
                        object.receivedUs = options.longs === $String ? long.toString() : options.longs === $Number ? long.toNumber() : typeof $BigInt !== "undefined" && options.longs === $BigInt ? long.toBigInt() : long;
                    } else
                        object.receivedUs = options.longs === $String ? "0" : typeof $BigInt !== "undefined" && options.longs === $BigInt ? $BigInt("0") : 0;
                    if (options.bytes === $String)
                        object.payload = "";
                    else {
                        object.payload = [];
                        if (options.bytes !== $Array)
                            object.payload = $util.newBuffer(object.payload);
                    }
                    object.payloadSize = 0;
                }
                if (message.reason != null && $Object.hasOwnProperty.call(message, "reason"))
                    object.reason = message.reason;
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail"))
                    object.detail = message.detail;
                if (message.topic != null && $Object.hasOwnProperty.call(message, "topic"))
                    object.topic = message.topic;
                if (message.tenant != null && $Object.hasOwnProperty.call(message, "tenant"))
                    object.tenant = message.tenant;
                if (message.rig != null && $Object.hasOwnProperty.call(message, "rig"))
                    object.rig = message.rig;
                if (message.seq != null && $Object.hasOwnProperty.call(message, "seq"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.seq = typeof message.seq === "number" ? $BigInt(message.seq) : $util.Long.fromBits(message.seq.low >>> 0, message.seq.high >>> 0, true).toBigInt();
                    else if (typeof message.seq === "number")
                        object.seq = options.longs === $String ? $String(message.seq) : message.seq;
                    else
                        object.seq = options.longs === $String ? $util.Long.prototype.toString.call(message.seq) : options.longs === $Number ? new $util.LongBits(message.seq.low >>> 0, message.seq.high >>> 0).toNumber(true) : message.seq;
                if (message.receivedUs != null && $Object.hasOwnProperty.call(message, "receivedUs"))
                    if (typeof $BigInt !== "undefined" && options.longs === $BigInt)
                        object.receivedUs = typeof message.receivedUs === "number" ? $BigInt(message.receivedUs) : $util.Long.fromBits(message.receivedUs.low >>> 0, message.receivedUs.high >>> 0, false).toBigInt();
                    else if (typeof message.receivedUs === "number")
                        object.receivedUs = options.longs === $String ? $String(message.receivedUs) : message.receivedUs;
                    else
                        object.receivedUs = options.longs === $String ? $util.Long.prototype.toString.call(message.receivedUs) : options.longs === $Number ? new $util.LongBits(message.receivedUs.low >>> 0, message.receivedUs.high >>> 0).toNumber() : message.receivedUs;
                if (message.payload != null && $Object.hasOwnProperty.call(message, "payload"))
                    object.payload = options.bytes === $String ? $util.base64.encode(message.payload, 0, message.payload.length) : options.bytes === $Array ? $Array.prototype.slice.call(message.payload) : message.payload;
                if (message.payloadSize != null && $Object.hasOwnProperty.call(message, "payloadSize"))
                    object.payloadSize = message.payloadSize;
                return object;
            };

            /**
             * Converts this DeadLetter to JSON.
             * @function toJSON
             * @memberof rigstream.v1.DeadLetter
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            DeadLetter.prototype.toJSON = function() {
                return DeadLetter.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for DeadLetter
             * @function getTypeUrl
             * @memberof rigstream.v1.DeadLetter
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            DeadLetter.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.DeadLetter";
            };

            return DeadLetter;
        })();

        v1.ModelCommand = (function() {

            /**
             * Properties of a ModelCommand.
             * @typedef {Object} rigstream.v1.ModelCommand.$Properties
             * @property {string|null} [version] ModelCommand version
             * @property {string|null} [url] ModelCommand url
             * @property {string|null} [sha256] ModelCommand sha256
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a ModelCommand.
             * @memberof rigstream.v1
             * @interface IModelCommand
             * @augments rigstream.v1.ModelCommand.$Properties
             * @deprecated Use rigstream.v1.ModelCommand.$Properties instead.
             */

            /**
             * Shape of a ModelCommand.
             * @typedef {rigstream.v1.ModelCommand.$Properties} rigstream.v1.ModelCommand.$Shape
             */

            /**
             * Constructs a new ModelCommand.
             * @memberof rigstream.v1
             * @classdesc Represents a ModelCommand.
             * @constructor
             * @param {rigstream.v1.ModelCommand.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const ModelCommand = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * ModelCommand version.
             * @member {string} version
             * @memberof rigstream.v1.ModelCommand
             * @instance
             */
            ModelCommand.prototype.version = "";

            /**
             * ModelCommand url.
             * @member {string} url
             * @memberof rigstream.v1.ModelCommand
             * @instance
             */
            ModelCommand.prototype.url = "";

            /**
             * ModelCommand sha256.
             * @member {string} sha256
             * @memberof rigstream.v1.ModelCommand
             * @instance
             */
            ModelCommand.prototype.sha256 = "";

            /**
             * Creates a new ModelCommand instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.ModelCommand
             * @static
             * @param {rigstream.v1.ModelCommand.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.ModelCommand} ModelCommand instance
             * @type {{
             *   (properties: rigstream.v1.ModelCommand.$Shape): rigstream.v1.ModelCommand & rigstream.v1.ModelCommand.$Shape;
             *   (properties?: rigstream.v1.ModelCommand.$Properties): rigstream.v1.ModelCommand;
             * }}
             */
            ModelCommand.create = function(properties) {
                return new ModelCommand(properties);
            };

            /**
             * Encodes the specified ModelCommand message. Does not implicitly {@link rigstream.v1.ModelCommand.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.ModelCommand
             * @static
             * @param {rigstream.v1.ModelCommand.$Properties} message ModelCommand message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            ModelCommand.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.version != null && $Object.hasOwnProperty.call(message, "version") && message.version !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.version);
                if (message.url != null && $Object.hasOwnProperty.call(message, "url") && message.url !== "")
                    writer.uint32(/* id 2, wireType 2 =*/18).string(message.url);
                if (message.sha256 != null && $Object.hasOwnProperty.call(message, "sha256") && message.sha256 !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.sha256);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a ModelCommand message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.ModelCommand
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.ModelCommand & rigstream.v1.ModelCommand.$Shape} ModelCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            ModelCommand.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.ModelCommand();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.version = value;
                            else
                                delete message.version;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.url = value;
                            else
                                delete message.url;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.sha256 = value;
                            else
                                delete message.sha256;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a ModelCommand message.
             * @function verify
             * @memberof rigstream.v1.ModelCommand
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            ModelCommand.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    if (!$util.isString(message.version))
                        return "version: string expected";
                if (message.url != null && $Object.hasOwnProperty.call(message, "url"))
                    if (!$util.isString(message.url))
                        return "url: string expected";
                if (message.sha256 != null && $Object.hasOwnProperty.call(message, "sha256"))
                    if (!$util.isString(message.sha256))
                        return "sha256: string expected";
                return null;
            };

            /**
             * Creates a ModelCommand message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.ModelCommand
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.ModelCommand} ModelCommand
             */
            ModelCommand.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.ModelCommand)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.ModelCommand: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.ModelCommand();
                if (object.version != null)
                    if (typeof object.version !== "string" || object.version.length)
                        message.version = $String(object.version);
                if (object.url != null)
                    if (typeof object.url !== "string" || object.url.length)
                        message.url = $String(object.url);
                if (object.sha256 != null)
                    if (typeof object.sha256 !== "string" || object.sha256.length)
                        message.sha256 = $String(object.sha256);
                return message;
            };

            /**
             * Creates a plain object from a ModelCommand message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.ModelCommand
             * @static
             * @param {rigstream.v1.ModelCommand} message ModelCommand
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            ModelCommand.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.version = "";
                    object.url = "";
                    object.sha256 = "";
                }
                if (message.version != null && $Object.hasOwnProperty.call(message, "version"))
                    object.version = message.version;
                if (message.url != null && $Object.hasOwnProperty.call(message, "url"))
                    object.url = message.url;
                if (message.sha256 != null && $Object.hasOwnProperty.call(message, "sha256"))
                    object.sha256 = message.sha256;
                return object;
            };

            /**
             * Converts this ModelCommand to JSON.
             * @function toJSON
             * @memberof rigstream.v1.ModelCommand
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            ModelCommand.prototype.toJSON = function() {
                return ModelCommand.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for ModelCommand
             * @function getTypeUrl
             * @memberof rigstream.v1.ModelCommand
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            ModelCommand.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.ModelCommand";
            };

            return ModelCommand;
        })();

        v1.CommandReply = (function() {

            /**
             * Properties of a CommandReply.
             * @typedef {Object} rigstream.v1.CommandReply.$Properties
             * @property {string|null} [command] CommandReply command
             * @property {boolean|null} [ok] CommandReply ok
             * @property {string|null} [detail] CommandReply detail
             * @property {string|null} [activeVersion] CommandReply activeVersion
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */

            /**
             * Properties of a CommandReply.
             * @memberof rigstream.v1
             * @interface ICommandReply
             * @augments rigstream.v1.CommandReply.$Properties
             * @deprecated Use rigstream.v1.CommandReply.$Properties instead.
             */

            /**
             * Shape of a CommandReply.
             * @typedef {rigstream.v1.CommandReply.$Properties} rigstream.v1.CommandReply.$Shape
             */

            /**
             * Constructs a new CommandReply.
             * @memberof rigstream.v1
             * @classdesc Represents a CommandReply.
             * @constructor
             * @param {rigstream.v1.CommandReply.$Properties=} [properties] Properties to set
             * @property {Array.<Uint8Array>} [$unknowns] Unknown fields preserved while decoding when enabled
             */
            const CommandReply = function (properties) {
                if (properties)
                    for (let keys = $Object.keys(properties), i = 0; i < keys.length; ++i)
                        if (properties[keys[i]] != null && keys[i] !== "__proto__")
                            this[keys[i]] = properties[keys[i]];
            };

            /**
             * CommandReply command.
             * @member {string} command
             * @memberof rigstream.v1.CommandReply
             * @instance
             */
            CommandReply.prototype.command = "";

            /**
             * CommandReply ok.
             * @member {boolean} ok
             * @memberof rigstream.v1.CommandReply
             * @instance
             */
            CommandReply.prototype.ok = false;

            /**
             * CommandReply detail.
             * @member {string} detail
             * @memberof rigstream.v1.CommandReply
             * @instance
             */
            CommandReply.prototype.detail = "";

            /**
             * CommandReply activeVersion.
             * @member {string} activeVersion
             * @memberof rigstream.v1.CommandReply
             * @instance
             */
            CommandReply.prototype.activeVersion = "";

            /**
             * Creates a new CommandReply instance using the specified properties.
             * @function create
             * @memberof rigstream.v1.CommandReply
             * @static
             * @param {rigstream.v1.CommandReply.$Properties=} [properties] Properties to set
             * @returns {rigstream.v1.CommandReply} CommandReply instance
             * @type {{
             *   (properties: rigstream.v1.CommandReply.$Shape): rigstream.v1.CommandReply & rigstream.v1.CommandReply.$Shape;
             *   (properties?: rigstream.v1.CommandReply.$Properties): rigstream.v1.CommandReply;
             * }}
             */
            CommandReply.create = function(properties) {
                return new CommandReply(properties);
            };

            /**
             * Encodes the specified CommandReply message. Does not implicitly {@link rigstream.v1.CommandReply.verify|verify} messages.
             * @function encode
             * @memberof rigstream.v1.CommandReply
             * @static
             * @param {rigstream.v1.CommandReply.$Properties} message CommandReply message or plain object to encode
             * @param {$protobuf.Writer} [writer] Writer to encode to
             * @returns {$protobuf.Writer} Writer
             */
            CommandReply.encode = function (message, writer, _depth) {
                if (!writer)
                    writer = $Writer.create();
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                if (message.command != null && $Object.hasOwnProperty.call(message, "command") && message.command !== "")
                    writer.uint32(/* id 1, wireType 2 =*/10).string(message.command);
                if (message.ok != null && $Object.hasOwnProperty.call(message, "ok") && message.ok !== false)
                    writer.uint32(/* id 2, wireType 0 =*/16).bool(message.ok);
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail") && message.detail !== "")
                    writer.uint32(/* id 3, wireType 2 =*/26).string(message.detail);
                if (message.activeVersion != null && $Object.hasOwnProperty.call(message, "activeVersion") && message.activeVersion !== "")
                    writer.uint32(/* id 4, wireType 2 =*/34).string(message.activeVersion);
                if (message.$unknowns != null && $Object.hasOwnProperty.call(message, "$unknowns"))
                    for (let i = 0; i < message.$unknowns.length; ++i)
                        writer.raw(message.$unknowns[i]);
                return writer;
            };

            /**
             * Decodes a CommandReply message from the specified reader or buffer.
             * @function decode
             * @memberof rigstream.v1.CommandReply
             * @static
             * @param {$protobuf.Reader|Uint8Array} reader Reader or buffer to decode from
             * @param {number} [length] Message length if known beforehand
             * @returns {rigstream.v1.CommandReply & rigstream.v1.CommandReply.$Shape} CommandReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            CommandReply.decode = function (reader, length, _end, _depth, _target) {
                if (!(reader instanceof $Reader))
                    reader = $Reader.create(reader);
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $Reader.recursionLimit)
                    throw $Error("max depth exceeded");
                let end, message, value;
                if (length === $undefined)
                    end = reader.len;
                else {
                    end = reader.pos + length;
                    if (end > reader.len)
                        throw $RangeError("index out of range");
                    length = reader.len;
                    reader.len = end;
                }
                message = _target || new $root.rigstream.v1.CommandReply();
                while (reader.pos < end) {
                    let start = reader.pos;
                    let tag = reader.tag();
                    if (tag === _end) {
                        _end = $undefined;
                        break;
                    }
                    let wireType = tag & 7;
                    switch (tag >>>= 3) {
                    case 1: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.command = value;
                            else
                                delete message.command;
                            continue;
                        }
                    case 2: {
                            if (wireType !== 0)
                                break;
                            if (value = reader.bool())
                                message.ok = value;
                            else
                                delete message.ok;
                            continue;
                        }
                    case 3: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.detail = value;
                            else
                                delete message.detail;
                            continue;
                        }
                    case 4: {
                            if (wireType !== 2)
                                break;
                            if ((value = reader.stringVerify()).length)
                                message.activeVersion = value;
                            else
                                delete message.activeVersion;
                            continue;
                        }
                    }
                    reader.skipType(wireType, _depth, tag);
                    if (!reader.discardUnknown) {
                        $util.makeProp(message, "$unknowns", false);
                        (message.$unknowns || (message.$unknowns = [])).push(reader.raw(start, reader.pos));
                    }
                }
                if (length !== $undefined) {
                    if (reader.pos !== end)
                        throw $RangeError("index out of range");
                    reader.len = length;
                }
                if (_end !== $undefined)
                    throw $Error("missing end group");
                return message;
            };

            /**
             * Verifies a CommandReply message.
             * @function verify
             * @memberof rigstream.v1.CommandReply
             * @static
             * @param {Object.<string,*>} message Plain object to verify
             * @returns {string|null} `null` if valid, otherwise the reason why it is not
             */
            CommandReply.verify = function (message, _depth) {
                if (typeof message !== "object" || message === null)
                    return "object expected";
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    return "max depth exceeded";
                if (message.command != null && $Object.hasOwnProperty.call(message, "command"))
                    if (!$util.isString(message.command))
                        return "command: string expected";
                if (message.ok != null && $Object.hasOwnProperty.call(message, "ok"))
                    if (typeof message.ok !== "boolean")
                        return "ok: boolean expected";
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail"))
                    if (!$util.isString(message.detail))
                        return "detail: string expected";
                if (message.activeVersion != null && $Object.hasOwnProperty.call(message, "activeVersion"))
                    if (!$util.isString(message.activeVersion))
                        return "activeVersion: string expected";
                return null;
            };

            /**
             * Creates a CommandReply message from a plain object. Also converts values to their respective internal types.
             * @function fromObject
             * @memberof rigstream.v1.CommandReply
             * @static
             * @param {Object.<string,*>} object Plain object
             * @returns {rigstream.v1.CommandReply} CommandReply
             */
            CommandReply.fromObject = function (object, _depth) {
                if (object instanceof $root.rigstream.v1.CommandReply)
                    return object;
                if (!$util.isObject(object))
                    throw $TypeError(".rigstream.v1.CommandReply: object expected");
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let message = new $root.rigstream.v1.CommandReply();
                if (object.command != null)
                    if (typeof object.command !== "string" || object.command.length)
                        message.command = $String(object.command);
                if (object.ok != null)
                    if (object.ok)
                        message.ok = $Boolean(object.ok);
                if (object.detail != null)
                    if (typeof object.detail !== "string" || object.detail.length)
                        message.detail = $String(object.detail);
                if (object.activeVersion != null)
                    if (typeof object.activeVersion !== "string" || object.activeVersion.length)
                        message.activeVersion = $String(object.activeVersion);
                return message;
            };

            /**
             * Creates a plain object from a CommandReply message. Also converts values to other types if specified.
             * @function toObject
             * @memberof rigstream.v1.CommandReply
             * @static
             * @param {rigstream.v1.CommandReply} message CommandReply
             * @param {$protobuf.IConversionOptions} [options] Conversion options
             * @returns {Object.<string,*>} Plain object
             */
            CommandReply.toObject = function (message, options, _depth) {
                if (!options)
                    options = {};
                if (_depth === $undefined)
                    _depth = 0;
                if (_depth > $util.recursionLimit)
                    throw $Error("max depth exceeded");
                let object = {};
                if (options.defaults) {
                    object.command = "";
                    object.ok = false;
                    object.detail = "";
                    object.activeVersion = "";
                }
                if (message.command != null && $Object.hasOwnProperty.call(message, "command"))
                    object.command = message.command;
                if (message.ok != null && $Object.hasOwnProperty.call(message, "ok"))
                    object.ok = message.ok;
                if (message.detail != null && $Object.hasOwnProperty.call(message, "detail"))
                    object.detail = message.detail;
                if (message.activeVersion != null && $Object.hasOwnProperty.call(message, "activeVersion"))
                    object.activeVersion = message.activeVersion;
                return object;
            };

            /**
             * Converts this CommandReply to JSON.
             * @function toJSON
             * @memberof rigstream.v1.CommandReply
             * @instance
             * @returns {Object.<string,*>} JSON object
             */
            CommandReply.prototype.toJSON = function() {
                return CommandReply.toObject(this, $protobuf.util.toJSONOptions);
            };

            /**
             * Gets the type url for CommandReply
             * @function getTypeUrl
             * @memberof rigstream.v1.CommandReply
             * @static
             * @param {string} [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns {string} The type url
             */
            CommandReply.getTypeUrl = function(prefix) {
                if (prefix === $undefined)
                    prefix = "type.googleapis.com";
                return prefix + "/rigstream.v1.CommandReply";
            };

            return CommandReply;
        })();

        return v1;
    })();

    return rigstream;
})();

export {
  $root as default
};
