import * as $protobuf from "protobufjs";
import Long = require("long");

/** Namespace rigstream. */
export namespace rigstream {

    /** Namespace v1. */
    namespace v1 {

        /**
         * Properties of a ChannelSamples.
         * @deprecated Use rigstream.v1.ChannelSamples.$Properties instead.
         */
        interface IChannelSamples extends rigstream.v1.ChannelSamples.$Properties {
        }

        /** Represents a ChannelSamples. */
        class ChannelSamples {

            /**
             * Constructs a new ChannelSamples.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.ChannelSamples.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ChannelSamples id. */
            id: string;

            /** ChannelSamples rateHz. */
            rateHz: number;

            /** ChannelSamples startUs. */
            startUs: number;

            /** ChannelSamples samples. */
            samples: number[];

            /**
             * Creates a new ChannelSamples instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ChannelSamples instance
             */
            static create(properties: rigstream.v1.ChannelSamples.$Shape): rigstream.v1.ChannelSamples & rigstream.v1.ChannelSamples.$Shape;
            static create(properties?: rigstream.v1.ChannelSamples.$Properties): rigstream.v1.ChannelSamples;

            /**
             * Encodes the specified ChannelSamples message. Does not implicitly {@link rigstream.v1.ChannelSamples.verify|verify} messages.
             * @param message ChannelSamples message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.ChannelSamples.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ChannelSamples message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.ChannelSamples & rigstream.v1.ChannelSamples.$Shape} ChannelSamples
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.ChannelSamples & rigstream.v1.ChannelSamples.$Shape;

            /**
             * Verifies a ChannelSamples message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ChannelSamples message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ChannelSamples
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.ChannelSamples;

            /**
             * Creates a plain object from a ChannelSamples message. Also converts values to other types if specified.
             * @param message ChannelSamples
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.ChannelSamples, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ChannelSamples to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ChannelSamples
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ChannelSamples {

            /** Properties of a ChannelSamples. */
            interface $Properties {

                /** ChannelSamples id */
                id?: (string|null);

                /** ChannelSamples rateHz */
                rateHz?: (number|null);

                /** ChannelSamples startUs */
                startUs?: (number|null);

                /** ChannelSamples samples */
                samples?: (number[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ChannelSamples. */
            type $Shape = rigstream.v1.ChannelSamples.$Properties;
        }

        /**
         * Properties of a FrameBatch.
         * @deprecated Use rigstream.v1.FrameBatch.$Properties instead.
         */
        interface IFrameBatch extends rigstream.v1.FrameBatch.$Properties {
        }

        /** Represents a FrameBatch. */
        class FrameBatch {

            /**
             * Constructs a new FrameBatch.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.FrameBatch.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** FrameBatch tenant. */
            tenant: string;

            /** FrameBatch rig. */
            rig: string;

            /** FrameBatch seq. */
            seq: number;

            /** FrameBatch windowStartUs. */
            windowStartUs: number;

            /** FrameBatch windowUs. */
            windowUs: number;

            /** FrameBatch profile. */
            profile: string;

            /** FrameBatch channels. */
            channels: rigstream.v1.ChannelSamples.$Properties[];

            /** FrameBatch sentUs. */
            sentUs: number;

            /** FrameBatch cycle. */
            cycle: number;

            /**
             * Creates a new FrameBatch instance using the specified properties.
             * @param [properties] Properties to set
             * @returns FrameBatch instance
             */
            static create(properties: rigstream.v1.FrameBatch.$Shape): rigstream.v1.FrameBatch & rigstream.v1.FrameBatch.$Shape;
            static create(properties?: rigstream.v1.FrameBatch.$Properties): rigstream.v1.FrameBatch;

            /**
             * Encodes the specified FrameBatch message. Does not implicitly {@link rigstream.v1.FrameBatch.verify|verify} messages.
             * @param message FrameBatch message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.FrameBatch.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a FrameBatch message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.FrameBatch & rigstream.v1.FrameBatch.$Shape} FrameBatch
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.FrameBatch & rigstream.v1.FrameBatch.$Shape;

            /**
             * Verifies a FrameBatch message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a FrameBatch message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns FrameBatch
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.FrameBatch;

            /**
             * Creates a plain object from a FrameBatch message. Also converts values to other types if specified.
             * @param message FrameBatch
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.FrameBatch, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this FrameBatch to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for FrameBatch
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace FrameBatch {

            /** Properties of a FrameBatch. */
            interface $Properties {

                /** FrameBatch tenant */
                tenant?: (string|null);

                /** FrameBatch rig */
                rig?: (string|null);

                /** FrameBatch seq */
                seq?: (number|null);

                /** FrameBatch windowStartUs */
                windowStartUs?: (number|null);

                /** FrameBatch windowUs */
                windowUs?: (number|null);

                /** FrameBatch profile */
                profile?: (string|null);

                /** FrameBatch channels */
                channels?: (rigstream.v1.ChannelSamples.$Properties[]|null);

                /** FrameBatch sentUs */
                sentUs?: (number|null);

                /** FrameBatch cycle */
                cycle?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a FrameBatch. */
            type $Shape = rigstream.v1.FrameBatch.$Properties;
        }

        /**
         * Properties of a RigState.
         * @deprecated Use rigstream.v1.RigState.$Properties instead.
         */
        interface IRigState extends rigstream.v1.RigState.$Properties {
        }

        /** Represents a RigState. */
        class RigState {

            /**
             * Constructs a new RigState.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.RigState.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** RigState status. */
            status: rigstream.v1.RigState.Status;

            /** RigState timeUs. */
            timeUs: number;

            /** RigState agentVersion. */
            agentVersion: string;

            /** RigState modelVersion. */
            modelVersion: string;

            /** RigState profile. */
            profile: string;

            /** RigState source. */
            source: string;

            /**
             * Creates a new RigState instance using the specified properties.
             * @param [properties] Properties to set
             * @returns RigState instance
             */
            static create(properties: rigstream.v1.RigState.$Shape): rigstream.v1.RigState & rigstream.v1.RigState.$Shape;
            static create(properties?: rigstream.v1.RigState.$Properties): rigstream.v1.RigState;

            /**
             * Encodes the specified RigState message. Does not implicitly {@link rigstream.v1.RigState.verify|verify} messages.
             * @param message RigState message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.RigState.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a RigState message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.RigState & rigstream.v1.RigState.$Shape} RigState
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.RigState & rigstream.v1.RigState.$Shape;

            /**
             * Verifies a RigState message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a RigState message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns RigState
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.RigState;

            /**
             * Creates a plain object from a RigState message. Also converts values to other types if specified.
             * @param message RigState
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.RigState, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this RigState to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for RigState
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace RigState {

            /** Properties of a RigState. */
            interface $Properties {

                /** RigState status */
                status?: (rigstream.v1.RigState.Status|null);

                /** RigState timeUs */
                timeUs?: (number|null);

                /** RigState agentVersion */
                agentVersion?: (string|null);

                /** RigState modelVersion */
                modelVersion?: (string|null);

                /** RigState profile */
                profile?: (string|null);

                /** RigState source */
                source?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a RigState. */
            type $Shape = rigstream.v1.RigState.$Properties;

            /** Status enum. */
            enum Status {

                /** STATUS_UNSPECIFIED value */
                STATUS_UNSPECIFIED = 0,

                /** ONLINE value */
                ONLINE = 1,

                /** OFFLINE value */
                OFFLINE = 2
            }
        }

        /**
         * Properties of a HeadResult.
         * @deprecated Use rigstream.v1.HeadResult.$Properties instead.
         */
        interface IHeadResult extends rigstream.v1.HeadResult.$Properties {
        }

        /** Represents a HeadResult. */
        class HeadResult {

            /**
             * Constructs a new HeadResult.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.HeadResult.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** HeadResult target. */
            target: string;

            /** HeadResult classIndex. */
            classIndex: number;

            /** HeadResult label. */
            label: string;

            /** HeadResult probs. */
            probs: number[];

            /**
             * Creates a new HeadResult instance using the specified properties.
             * @param [properties] Properties to set
             * @returns HeadResult instance
             */
            static create(properties: rigstream.v1.HeadResult.$Shape): rigstream.v1.HeadResult & rigstream.v1.HeadResult.$Shape;
            static create(properties?: rigstream.v1.HeadResult.$Properties): rigstream.v1.HeadResult;

            /**
             * Encodes the specified HeadResult message. Does not implicitly {@link rigstream.v1.HeadResult.verify|verify} messages.
             * @param message HeadResult message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.HeadResult.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a HeadResult message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.HeadResult & rigstream.v1.HeadResult.$Shape} HeadResult
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.HeadResult & rigstream.v1.HeadResult.$Shape;

            /**
             * Verifies a HeadResult message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a HeadResult message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns HeadResult
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.HeadResult;

            /**
             * Creates a plain object from a HeadResult message. Also converts values to other types if specified.
             * @param message HeadResult
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.HeadResult, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this HeadResult to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for HeadResult
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace HeadResult {

            /** Properties of a HeadResult. */
            interface $Properties {

                /** HeadResult target */
                target?: (string|null);

                /** HeadResult classIndex */
                classIndex?: (number|null);

                /** HeadResult label */
                label?: (string|null);

                /** HeadResult probs */
                probs?: (number[]|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a HeadResult. */
            type $Shape = rigstream.v1.HeadResult.$Properties;
        }

        /**
         * Properties of a Prediction.
         * @deprecated Use rigstream.v1.Prediction.$Properties instead.
         */
        interface IPrediction extends rigstream.v1.Prediction.$Properties {
        }

        /** Represents a Prediction. */
        class Prediction {

            /**
             * Constructs a new Prediction.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.Prediction.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Prediction tenant. */
            tenant: string;

            /** Prediction rig. */
            rig: string;

            /** Prediction windowStartUs. */
            windowStartUs: number;

            /** Prediction windowEndUs. */
            windowEndUs: number;

            /** Prediction modelVersion. */
            modelVersion: string;

            /** Prediction source. */
            source: rigstream.v1.Prediction.Source;

            /** Prediction heads. */
            heads: rigstream.v1.HeadResult.$Properties[];

            /** Prediction firstSeq. */
            firstSeq: number;

            /** Prediction lastSeq. */
            lastSeq: number;

            /** Prediction producedUs. */
            producedUs: number;

            /**
             * Creates a new Prediction instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Prediction instance
             */
            static create(properties: rigstream.v1.Prediction.$Shape): rigstream.v1.Prediction & rigstream.v1.Prediction.$Shape;
            static create(properties?: rigstream.v1.Prediction.$Properties): rigstream.v1.Prediction;

            /**
             * Encodes the specified Prediction message. Does not implicitly {@link rigstream.v1.Prediction.verify|verify} messages.
             * @param message Prediction message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.Prediction.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a Prediction message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.Prediction & rigstream.v1.Prediction.$Shape} Prediction
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.Prediction & rigstream.v1.Prediction.$Shape;

            /**
             * Verifies a Prediction message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a Prediction message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Prediction
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.Prediction;

            /**
             * Creates a plain object from a Prediction message. Also converts values to other types if specified.
             * @param message Prediction
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.Prediction, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Prediction to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Prediction
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Prediction {

            /** Properties of a Prediction. */
            interface $Properties {

                /** Prediction tenant */
                tenant?: (string|null);

                /** Prediction rig */
                rig?: (string|null);

                /** Prediction windowStartUs */
                windowStartUs?: (number|null);

                /** Prediction windowEndUs */
                windowEndUs?: (number|null);

                /** Prediction modelVersion */
                modelVersion?: (string|null);

                /** Prediction source */
                source?: (rigstream.v1.Prediction.Source|null);

                /** Prediction heads */
                heads?: (rigstream.v1.HeadResult.$Properties[]|null);

                /** Prediction firstSeq */
                firstSeq?: (number|null);

                /** Prediction lastSeq */
                lastSeq?: (number|null);

                /** Prediction producedUs */
                producedUs?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a Prediction. */
            type $Shape = rigstream.v1.Prediction.$Properties;

            /** Source enum. */
            enum Source {

                /** SOURCE_UNSPECIFIED value */
                SOURCE_UNSPECIFIED = 0,

                /** EDGE value */
                EDGE = 1,

                /** CLOUD value */
                CLOUD = 2
            }
        }

        /**
         * Properties of an Alert.
         * @deprecated Use rigstream.v1.Alert.$Properties instead.
         */
        interface IAlert extends rigstream.v1.Alert.$Properties {
        }

        /** Represents an Alert. */
        class Alert {

            /**
             * Constructs a new Alert.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.Alert.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** Alert id. */
            id: string;

            /** Alert tenant. */
            tenant: string;

            /** Alert rig. */
            rig: string;

            /** Alert timeUs. */
            timeUs: number;

            /** Alert severity. */
            severity: rigstream.v1.Alert.Severity;

            /** Alert component. */
            component: string;

            /** Alert rule. */
            rule: string;

            /** Alert message. */
            message: string;

            /** Alert raisedOffline. */
            raisedOffline: boolean;

            /**
             * Creates a new Alert instance using the specified properties.
             * @param [properties] Properties to set
             * @returns Alert instance
             */
            static create(properties: rigstream.v1.Alert.$Shape): rigstream.v1.Alert & rigstream.v1.Alert.$Shape;
            static create(properties?: rigstream.v1.Alert.$Properties): rigstream.v1.Alert;

            /**
             * Encodes the specified Alert message. Does not implicitly {@link rigstream.v1.Alert.verify|verify} messages.
             * @param message Alert message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.Alert.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes an Alert message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.Alert & rigstream.v1.Alert.$Shape} Alert
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.Alert & rigstream.v1.Alert.$Shape;

            /**
             * Verifies an Alert message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates an Alert message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns Alert
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.Alert;

            /**
             * Creates a plain object from an Alert message. Also converts values to other types if specified.
             * @param message Alert
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.Alert, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this Alert to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for Alert
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace Alert {

            /** Properties of an Alert. */
            interface $Properties {

                /** Alert id */
                id?: (string|null);

                /** Alert tenant */
                tenant?: (string|null);

                /** Alert rig */
                rig?: (string|null);

                /** Alert timeUs */
                timeUs?: (number|null);

                /** Alert severity */
                severity?: (rigstream.v1.Alert.Severity|null);

                /** Alert component */
                component?: (string|null);

                /** Alert rule */
                rule?: (string|null);

                /** Alert message */
                message?: (string|null);

                /** Alert raisedOffline */
                raisedOffline?: (boolean|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of an Alert. */
            type $Shape = rigstream.v1.Alert.$Properties;

            /** Severity enum. */
            enum Severity {

                /** SEVERITY_UNSPECIFIED value */
                SEVERITY_UNSPECIFIED = 0,

                /** INFO value */
                INFO = 1,

                /** WARNING value */
                WARNING = 2,

                /** CRITICAL value */
                CRITICAL = 3
            }
        }

        /**
         * Properties of a DeadLetter.
         * @deprecated Use rigstream.v1.DeadLetter.$Properties instead.
         */
        interface IDeadLetter extends rigstream.v1.DeadLetter.$Properties {
        }

        /** Represents a DeadLetter. */
        class DeadLetter {

            /**
             * Constructs a new DeadLetter.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.DeadLetter.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** DeadLetter reason. */
            reason: string;

            /** DeadLetter detail. */
            detail: string;

            /** DeadLetter topic. */
            topic: string;

            /** DeadLetter tenant. */
            tenant: string;

            /** DeadLetter rig. */
            rig: string;

            /** DeadLetter seq. */
            seq: number;

            /** DeadLetter receivedUs. */
            receivedUs: number;

            /** DeadLetter payload. */
            payload: Uint8Array;

            /** DeadLetter payloadSize. */
            payloadSize: number;

            /**
             * Creates a new DeadLetter instance using the specified properties.
             * @param [properties] Properties to set
             * @returns DeadLetter instance
             */
            static create(properties: rigstream.v1.DeadLetter.$Shape): rigstream.v1.DeadLetter & rigstream.v1.DeadLetter.$Shape;
            static create(properties?: rigstream.v1.DeadLetter.$Properties): rigstream.v1.DeadLetter;

            /**
             * Encodes the specified DeadLetter message. Does not implicitly {@link rigstream.v1.DeadLetter.verify|verify} messages.
             * @param message DeadLetter message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.DeadLetter.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a DeadLetter message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.DeadLetter & rigstream.v1.DeadLetter.$Shape} DeadLetter
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.DeadLetter & rigstream.v1.DeadLetter.$Shape;

            /**
             * Verifies a DeadLetter message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a DeadLetter message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns DeadLetter
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.DeadLetter;

            /**
             * Creates a plain object from a DeadLetter message. Also converts values to other types if specified.
             * @param message DeadLetter
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.DeadLetter, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this DeadLetter to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for DeadLetter
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace DeadLetter {

            /** Properties of a DeadLetter. */
            interface $Properties {

                /** DeadLetter reason */
                reason?: (string|null);

                /** DeadLetter detail */
                detail?: (string|null);

                /** DeadLetter topic */
                topic?: (string|null);

                /** DeadLetter tenant */
                tenant?: (string|null);

                /** DeadLetter rig */
                rig?: (string|null);

                /** DeadLetter seq */
                seq?: (number|null);

                /** DeadLetter receivedUs */
                receivedUs?: (number|null);

                /** DeadLetter payload */
                payload?: (Uint8Array|null);

                /** DeadLetter payloadSize */
                payloadSize?: (number|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a DeadLetter. */
            type $Shape = rigstream.v1.DeadLetter.$Properties;
        }

        /**
         * Properties of a ModelCommand.
         * @deprecated Use rigstream.v1.ModelCommand.$Properties instead.
         */
        interface IModelCommand extends rigstream.v1.ModelCommand.$Properties {
        }

        /** Represents a ModelCommand. */
        class ModelCommand {

            /**
             * Constructs a new ModelCommand.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.ModelCommand.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** ModelCommand version. */
            version: string;

            /** ModelCommand url. */
            url: string;

            /** ModelCommand sha256. */
            sha256: string;

            /**
             * Creates a new ModelCommand instance using the specified properties.
             * @param [properties] Properties to set
             * @returns ModelCommand instance
             */
            static create(properties: rigstream.v1.ModelCommand.$Shape): rigstream.v1.ModelCommand & rigstream.v1.ModelCommand.$Shape;
            static create(properties?: rigstream.v1.ModelCommand.$Properties): rigstream.v1.ModelCommand;

            /**
             * Encodes the specified ModelCommand message. Does not implicitly {@link rigstream.v1.ModelCommand.verify|verify} messages.
             * @param message ModelCommand message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.ModelCommand.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a ModelCommand message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.ModelCommand & rigstream.v1.ModelCommand.$Shape} ModelCommand
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.ModelCommand & rigstream.v1.ModelCommand.$Shape;

            /**
             * Verifies a ModelCommand message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a ModelCommand message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns ModelCommand
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.ModelCommand;

            /**
             * Creates a plain object from a ModelCommand message. Also converts values to other types if specified.
             * @param message ModelCommand
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.ModelCommand, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this ModelCommand to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for ModelCommand
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace ModelCommand {

            /** Properties of a ModelCommand. */
            interface $Properties {

                /** ModelCommand version */
                version?: (string|null);

                /** ModelCommand url */
                url?: (string|null);

                /** ModelCommand sha256 */
                sha256?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a ModelCommand. */
            type $Shape = rigstream.v1.ModelCommand.$Properties;
        }

        /**
         * Properties of a CommandReply.
         * @deprecated Use rigstream.v1.CommandReply.$Properties instead.
         */
        interface ICommandReply extends rigstream.v1.CommandReply.$Properties {
        }

        /** Represents a CommandReply. */
        class CommandReply {

            /**
             * Constructs a new CommandReply.
             * @param [properties] Properties to set
             */
            constructor(properties?: rigstream.v1.CommandReply.$Properties);

            /** Unknown fields preserved while decoding when enabled */
            $unknowns?: Uint8Array[];

            /** CommandReply command. */
            command: string;

            /** CommandReply ok. */
            ok: boolean;

            /** CommandReply detail. */
            detail: string;

            /** CommandReply activeVersion. */
            activeVersion: string;

            /**
             * Creates a new CommandReply instance using the specified properties.
             * @param [properties] Properties to set
             * @returns CommandReply instance
             */
            static create(properties: rigstream.v1.CommandReply.$Shape): rigstream.v1.CommandReply & rigstream.v1.CommandReply.$Shape;
            static create(properties?: rigstream.v1.CommandReply.$Properties): rigstream.v1.CommandReply;

            /**
             * Encodes the specified CommandReply message. Does not implicitly {@link rigstream.v1.CommandReply.verify|verify} messages.
             * @param message CommandReply message or plain object to encode
             * @param [writer] Writer to encode to
             * @returns Writer
             */
            static encode(message: rigstream.v1.CommandReply.$Properties, writer?: $protobuf.Writer): $protobuf.Writer;

            /**
             * Decodes a CommandReply message from the specified reader or buffer.
             * @param reader Reader or buffer to decode from
             * @param [length] Message length if known beforehand
             * @returns {rigstream.v1.CommandReply & rigstream.v1.CommandReply.$Shape} CommandReply
             * @throws {Error} If the payload is not a reader or valid buffer
             * @throws {$protobuf.util.ProtocolError} If required fields are missing
             */
            static decode(reader: ($protobuf.Reader|Uint8Array), length?: number): rigstream.v1.CommandReply & rigstream.v1.CommandReply.$Shape;

            /**
             * Verifies a CommandReply message.
             * @param message Plain object to verify
             * @returns `null` if valid, otherwise the reason why it is not
             */
            static verify(message: { [k: string]: any }): (string|null);

            /**
             * Creates a CommandReply message from a plain object. Also converts values to their respective internal types.
             * @param object Plain object
             * @returns CommandReply
             */
            static fromObject(object: { [k: string]: any }): rigstream.v1.CommandReply;

            /**
             * Creates a plain object from a CommandReply message. Also converts values to other types if specified.
             * @param message CommandReply
             * @param [options] Conversion options
             * @returns Plain object
             */
            static toObject(message: rigstream.v1.CommandReply, options?: $protobuf.IConversionOptions): { [k: string]: any };

            /**
             * Converts this CommandReply to JSON.
             * @returns JSON object
             */
            toJSON(): { [k: string]: any };

            /**
             * Gets the type url for CommandReply
             * @param [prefix] Custom type url prefix, defaults to `"type.googleapis.com"`
             * @returns The type url
             */
            static getTypeUrl(prefix?: string): string;
        }

        namespace CommandReply {

            /** Properties of a CommandReply. */
            interface $Properties {

                /** CommandReply command */
                command?: (string|null);

                /** CommandReply ok */
                ok?: (boolean|null);

                /** CommandReply detail */
                detail?: (string|null);

                /** CommandReply activeVersion */
                activeVersion?: (string|null);

                /** Unknown fields preserved while decoding when enabled */
                $unknowns?: Uint8Array[];
            }

            /** Shape of a CommandReply. */
            type $Shape = rigstream.v1.CommandReply.$Properties;
        }
    }
}
