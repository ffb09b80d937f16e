#!/usr/bin/env python3
"""Synthesises the deterministic test signal for the `lame` workload (the seed encoded
M1F1-int32-AFsp.wav, a speech sample we do not ship; this is our stand-in).

The signal: a progression of four chords (C, Am, F, G; each note with a few harmonics and an
attack/decay envelope), a plucked bass line, percussive noise bursts on every beat (transients,
for pre-echo control) and a low level of white noise throughout. Noise comes from a fixed-seed
xorshift32 generator, so the output is the same byte for byte on every run and machine (the only
floating-point library call is math.sin, whose result is rounded to 16 bits).

Writes a canonical 44-byte-header PCM WAV file (16-bit little-endian).

  python3 mkwav.py --out data/audio/M1F1-synth.wav                       (3 s, 44.1 kHz, mono)
  python3 mkwav.py --stereo --rate 8000 --seconds 0.5 --out data/audio/stereo-short.wav
"""
import argparse
import math
import struct


class XorShift32:
    def __init__(self, seed):
        self.x = seed & 0xFFFFFFFF

    def next(self):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x

    def uniform(self):
        """in [-1, 1)"""
        return self.next() / 2147483648.0 - 1.0


NOTE = {"C3": 130.81, "E3": 164.81, "G3": 196.00, "A2": 110.00, "F2": 87.31, "G2": 98.00,
        "C4": 261.63, "E4": 329.63, "G4": 392.00, "A3": 220.00, "F3": 174.61, "A4": 440.00,
        "C5": 523.25, "B3": 246.94, "D4": 293.66, "F4": 349.23, "B4": 493.88, "D5": 587.33}

CHORDS = [  # (chord notes, bass note)
    (["C4", "E4", "G4", "C5"], "C3"),
    (["A3", "C4", "E4", "A4"], "A2"),
    (["F3", "A3", "C4", "F4"], "F2"),
    (["G3", "B3", "D4", "G4"], "G2"),
]


def synth(rate, seconds, channel, seed):
    rng = XorShift32(seed)
    n = int(round(rate * seconds))
    chord_len = 0.75  # seconds per chord
    beat = chord_len / 3
    out = []
    lp = 0.0
    for i in range(n):
        t = i / rate
        ci = int(t / chord_len) % len(CHORDS)
        tc = t - int(t / chord_len) * chord_len  # time within the chord
        notes, bass = CHORDS[ci]
        env = min(1.0, tc / 0.02) * math.exp(-1.6 * tc)
        s = 0.0
        for k, name in enumerate(notes):
            f = NOTE[name] * (1.0 + 0.002 * channel * (k - 1.5))  # slight detune per channel
            for h, a in ((1, 1.0), (2, 0.45), (3, 0.25), (5, 0.08)):
                if f * h < rate / 2:
                    s += a * math.sin(2 * math.pi * f * h * t + 0.7 * k + channel)
        s *= 0.055 * env
        tb = tc - int(tc / beat) * beat  # time within the beat
        fb = NOTE[bass]
        s += 0.22 * math.exp(-5.0 * tb) * (math.sin(2 * math.pi * fb * t)
                                           + 0.3 * math.sin(2 * math.pi * 2 * fb * t))
        white = rng.uniform()
        lp = 0.6 * lp + 0.4 * white  # a little low-passed noise
        s += 0.18 * math.exp(-60.0 * tb) * white + 0.012 * lp
        v = int(round(s * 32767.0))
        out.append(max(-32768, min(32767, v)))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--rate", type=int, default=44100)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--stereo", action="store_true")
    ap.add_argument("--seed", type=int, default=0x440E9)
    a = ap.parse_args()
    chans = 2 if a.stereo else 1
    data = [synth(a.rate, a.seconds, c, a.seed + 7919 * c) for c in range(chans)]
    frames = len(data[0])
    pcm = bytearray()
    for i in range(frames):
        for c in range(chans):
            pcm += struct.pack("<h", data[c][i])
    hdr = b"RIFF" + struct.pack("<I", 36 + len(pcm)) + b"WAVE"
    hdr += b"fmt " + struct.pack("<IHHIIHH", 16, 1, chans, a.rate, a.rate * chans * 2,
                                 chans * 2, 16)
    hdr += b"data" + struct.pack("<I", len(pcm))
    with open(a.out, "wb") as f:
        f.write(hdr + pcm)


if __name__ == "__main__":
    main()
