#!/usr/bin/python3
"""A Godot 4 WebRTCMultiplayerPeer client played by aiortc, for Meshgate's tests.

It speaks Godot 4's signaling protocol, opens Godot's three negotiated data channels (1 reliable, 2 ordered with a
packet lifetime, 3 unordered with a packet lifetime) to each peer it is told about, and follows Godot's offer rule:
the peer with the larger id makes the offer. Candidates travel in Godot's "\\n<mid>\\n<index>\\n<sdp>" form.

It is driven by JSON lines: events on stdout, commands on stdin.
  events:   id, joined, peer, peer_gone, open, packet, channel_closed, closed, error
  commands: {"cmd": "send", "peer": 1, "channel": "reliable", "hex": "03..."}
            {"cmd": "close"}  leave cleanly;  {"cmd": "drop"}  vanish without closing anything
Options: --url, --lobby NAME ("" creates), --join-id N (the JOIN's id: 0 mesh, 1 client/server, ...),
         --ignore-answers (never apply an answer, so ICE never completes),
         --godot3 (Godot 3's text signaling instead, "<C>: <arg>\n<payload>", where the *lower* id offers).
"""
import argparse
import asyncio
import json
import os
import sys

import websockets
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.sdp import candidate_from_sdp

JOIN, ID, PEER_CONNECT, PEER_DISCONNECT, OFFER, ANSWER, CANDIDATE, SEAL = range(8)
CHANNELS = (("reliable", 1, True), ("ordered", 2, True), ("unreliable", 3, False))


def emit(**event):
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


class Client:
    def __init__(self, args):
        self.args = args
        self.ws = None
        self.my_id = 0
        self.peers = {}  # id -> (RTCPeerConnection, {label: channel})

    async def send(self, type_, id_, data=""):
        if self.args.godot3:
            letter = {JOIN: "J", OFFER: "O", ANSWER: "A", CANDIDATE: "C", SEAL: "S"}[type_]
            await self.ws.send("%s: %s\n%s" % (letter, data if type_ == JOIN else ("" if type_ == SEAL else id_),
                                                "" if type_ in (JOIN, SEAL) else data))
        else:
            await self.ws.send(json.dumps({"type": type_, "id": id_, "data": data}))

    @staticmethod
    def godot3_message(frame):
        """A Godot 3 text frame as (type, id, data) of the Godot 4 table, so one handler serves both."""
        header, _, payload = frame.partition("\n")
        letter, arg = header[0], header[3:]
        type_ = {"I": ID, "J": JOIN, "N": PEER_CONNECT, "D": PEER_DISCONNECT, "O": OFFER, "A": ANSWER,
                 "C": CANDIDATE, "S": SEAL}[letter]
        if type_ == JOIN:
            return type_, 0, arg
        return type_, int(arg) if arg else 0, payload

    def make_peer(self, peer_id):
        pc = RTCPeerConnection()
        channels = {}
        opened = set()
        for label, channel_id, ordered in CHANNELS:
            lifetime = None if channel_id == 1 else 1
            channel = pc.createDataChannel(label, ordered=ordered, negotiated=True, id=channel_id,
                                           maxPacketLifeTime=lifetime)
            channels[label] = channel

            def on_open(label=label):
                opened.add(label)
                if len(opened) == len(CHANNELS):
                    emit(event="open", peer=peer_id)

            def on_message(message, label=label):
                data = message if isinstance(message, (bytes, bytearray)) else message.encode()
                emit(event="packet", peer=peer_id, channel=label, hex=bytes(data).hex())

            def on_close(label=label):
                emit(event="channel_closed", peer=peer_id, channel=label)

            channel.on("open", on_open)
            channel.on("message", on_message)
            channel.on("close", on_close)
        self.peers[peer_id] = (pc, channels)
        return pc

    async def offer_to(self, peer_id):
        pc = self.make_peer(peer_id)
        await pc.setLocalDescription(await pc.createOffer())
        await self.send(OFFER, peer_id, pc.localDescription.sdp)

    async def on_offer(self, peer_id, sdp):
        pc = self.make_peer(peer_id)
        await pc.setRemoteDescription(RTCSessionDescription(sdp=sdp, type="offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        await self.send(ANSWER, peer_id, pc.localDescription.sdp)

    async def on_candidate(self, peer_id, data):
        parts = [p for p in data.split("\n") if p]
        if len(parts) != 3 or peer_id not in self.peers:
            emit(event="error", message="bad candidate from %d: %r" % (peer_id, data))
            return
        mid, index, sdp = parts
        if sdp.startswith("candidate:"):
            sdp = sdp[len("candidate:"):]
        candidate = candidate_from_sdp(sdp)
        candidate.sdpMid = mid
        candidate.sdpMLineIndex = int(index)
        await self.peers[peer_id][0].addIceCandidate(candidate)

    async def signaling(self):
        async for frame in self.ws:
            if self.args.godot3:
                type_, id_, data = self.godot3_message(frame)
            else:
                message = json.loads(frame)
                type_, id_, data = message["type"], int(message["id"]), message["data"]
            if type_ == ID:
                self.my_id = id_
                emit(event="id", id=id_, mesh=data == "true")
            elif type_ == JOIN:
                emit(event="joined", lobby=data)
            elif type_ == PEER_CONNECT:
                emit(event="peer", id=id_)
                # Godot 4's rule: the larger id offers; Godot 3's is the reverse.
                if (id_ > self.my_id) if self.args.godot3 else (id_ < self.my_id):
                    await self.offer_to(id_)
            elif type_ == PEER_DISCONNECT:
                emit(event="peer_gone", id=id_)
                entry = self.peers.pop(id_, None)
                if entry:
                    await entry[0].close()
            elif type_ == OFFER:
                await self.on_offer(id_, data)
            elif type_ == ANSWER:
                if not self.args.ignore_answers and id_ in self.peers:
                    await self.peers[id_][0].setRemoteDescription(RTCSessionDescription(sdp=data, type="answer"))
            elif type_ == CANDIDATE:
                emit(event="candidate", peer=id_, data=data)
                if not self.args.ignore_answers:
                    await self.on_candidate(id_, data)
            elif type_ == SEAL:
                emit(event="sealed")

    async def commands(self):
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        while True:
            line = await reader.readline()
            if not line:
                return "close"
            command = json.loads(line)
            if command["cmd"] == "send":
                pc, channels = self.peers[command["peer"]]
                channels[command["channel"]].send(bytes.fromhex(command["hex"]))
            elif command["cmd"] in ("close", "drop"):
                return command["cmd"]

    async def run(self):
        async with websockets.connect(self.args.url, max_size=None) as ws:
            self.ws = ws
            await self.send(JOIN, self.args.join_id, self.args.lobby)
            signaling = asyncio.create_task(self.signaling())
            commands = asyncio.create_task(self.commands())
            done, _ = await asyncio.wait({signaling, commands}, return_when=asyncio.FIRST_COMPLETED)
            if signaling in done:
                error = signaling.exception()
                if error and not isinstance(error, websockets.ConnectionClosed):
                    emit(event="error", message=repr(error))
                closed = error.rcvd if isinstance(error, websockets.ConnectionClosed) and error.rcvd else None
                emit(event="closed", code=closed.code if closed else ws.close_code,
                     reason=closed.reason if closed else ws.close_reason)
                return
            if commands.result() == "drop":
                os._exit(0)  # as a crashing client: no close frames, no DTLS/SCTP goodbyes
            for pc, _ in list(self.peers.values()):
                await pc.close()
            await ws.close()
            emit(event="closed", code=1000, reason="client left")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--lobby", default="")
    parser.add_argument("--join-id", type=int, default=0)
    parser.add_argument("--ignore-answers", action="store_true")
    parser.add_argument("--godot3", action="store_true")
    asyncio.run(Client(parser.parse_args()).run())


if __name__ == "__main__":
    main()
