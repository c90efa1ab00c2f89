/**
 * Answers one DNS query from the current records, as mesos-dns's resolver `HandleMesos` does: A, AAAA, SRV
 * (with the targets' addresses as additional records), SOA and NS for the domain, NXDOMAIN with the SOA for
 * names it has nothing for (NOERROR when the name exists with another type). Names outside the domain are
 * REFUSED: this server does not recurse. A message that does not parse, or asks something no client would
 * (no question, several, a name past 255 octets), gets FORMERR; one too short to carry an id gets nothing.
 */
import * as dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, Question } from 'dns-packet';
import type { RecordSet } from './records';
import { splitHostPort } from './records';

export interface SoaConfig {
  /** Without a trailing dot, e.g. `mesos`. */
  domain: string;
  ttl: number;
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
}

/** The largest query looked at; real queries are a few dozen bytes. */
export const MAX_QUERY_BYTES = 4096;
const MAX_NAME_OCTETS = 255;
const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

function reply(
  query: { id: number; flags: number; questions: Question[] },
  rcode: number,
  sections: Partial<Record<'answers' | 'authorities' | 'additionals', Answer[]>> = {},
): dnsPacket.Packet {
  return {
    type: 'response',
    id: query.id,
    flags: dnsPacket.AUTHORITATIVE_ANSWER | (query.flags & dnsPacket.RECURSION_DESIRED) | rcode,
    questions: query.questions,
    answers: sections.answers ?? [],
    authorities: sections.authorities ?? [],
    additionals: sections.additionals ?? [],
  };
}

/** Wire length of a name: one length octet per label plus its bytes, plus the root. */
function nameOctets(name: string): number {
  return name === '' ? 1 : name.split('.').reduce((sum, label) => sum + 1 + Buffer.byteLength(label), 1);
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function soaRecord(name: string, soa: SoaConfig): Answer {
  return {
    type: 'SOA',
    name,
    ttl: soa.ttl,
    data: {
      mname: soa.mname.replace(/\.$/, ''),
      rname: soa.rname.replace(/\.$/, ''),
      serial: soa.serial,
      refresh: soa.refresh,
      retry: soa.retry,
      expire: soa.expire,
      minimum: soa.ttl,
    },
  };
}

export interface DnsAnswer {
  packet: dnsPacket.Packet | null;
  /** For logs and tests: what the query was judged to be. */
  rcode: keyof typeof RCODE;
}

/** The response to one query message, or null packet when it deserves none. */
export function answerQuery(message: Buffer, records: RecordSet, soa: SoaConfig): DnsAnswer {
  if (message.length < 12) return { packet: null, rcode: 'FORMERR' };
  const header = { id: message.readUInt16BE(0), flags: message.readUInt16BE(2) & 0x7ff0, questions: [] };
  if (message.readUInt16BE(2) & 0x8000) return { packet: null, rcode: 'FORMERR' }; // a response: never answer one
  const formErr = () => ({
    packet: reply({ ...header, flags: 0 }, RCODE.FORMERR),
    rcode: 'FORMERR' as const,
  });
  if (message.length > MAX_QUERY_BYTES) return formErr();
  let query: DecodedPacket;
  try {
    query = dnsPacket.decode(message);
  } catch {
    return formErr();
  }
  const questions = query.questions ?? [];
  const question = questions[0];
  if (questions.length !== 1 || !question || nameOctets(question.name) > MAX_NAME_OCTETS) return formErr();
  const base = { id: header.id, flags: header.flags, questions: [question] };
  if (((header.flags >> 11) & 0xf) !== 0) return { packet: reply(base, RCODE.NOTIMP), rcode: 'NOTIMP' };

  const name = `${question.name.toLowerCase().replace(/\.$/, '')}.`;
  const domain = `${soa.domain}.`;
  if (name !== domain && !name.endsWith(`.${domain}`))
    return { packet: reply(base, RCODE.REFUSED), rcode: 'REFUSED' };

  const answers: Answer[] = [];
  const authorities: Answer[] = [];
  const additionals: Answer[] = [];
  const type: string = question.type;
  const wants = (t: string) => type === t || type === 'ANY';
  if (wants('SRV')) {
    const added = new Set<string>();
    for (const value of records.srv.get(name) ?? []) {
      const target = splitHostPort(value);
      if (!target) continue;
      answers.push({
        type: 'SRV',
        name: question.name,
        ttl: soa.ttl,
        data: { priority: 0, weight: 0, port: Number(target.port), target: target.host.replace(/\.$/, '') },
      });
      if (added.has(target.host)) continue;
      added.add(target.host);
      const a = records.a.get(target.host)?.values().next().value;
      if (a) additionals.push({ type: 'A', name: target.host.replace(/\.$/, ''), ttl: soa.ttl, data: a });
      const aaaa = records.aaaa.get(target.host)?.values().next().value;
      if (aaaa)
        additionals.push({ type: 'AAAA', name: target.host.replace(/\.$/, ''), ttl: soa.ttl, data: aaaa });
    }
  }
  if (wants('A'))
    for (const ip of records.a.get(name) ?? [])
      answers.push({ type: 'A', name: question.name, ttl: soa.ttl, data: ip });
  if (wants('AAAA'))
    for (const ip of records.aaaa.get(name) ?? [])
      answers.push({ type: 'AAAA', name: question.name, ttl: soa.ttl, data: ip });
  // Like mesos-dns, SOA and NS answers go in the authority section.
  if (wants('SOA')) authorities.push(soaRecord(question.name, soa));
  if (wants('NS'))
    authorities.push({ type: 'NS', name: question.name, ttl: soa.ttl, data: soa.mname.replace(/\.$/, '') });

  let rcode: number = RCODE.NOERROR;
  if (answers.length === 0 && !['SOA', 'NS', 'SRV'].includes(type)) {
    const exists =
      (records.srv.get(name)?.size ?? 0) +
      (records.a.get(name)?.size ?? 0) +
      (records.aaaa.get(name)?.size ?? 0);
    if (exists === 0) rcode = RCODE.NXDOMAIN;
    authorities.push(soaRecord(question.name, soa));
  }
  return {
    packet: reply(base, rcode, { answers: shuffle(answers), authorities, additionals }),
    rcode: rcode === RCODE.NXDOMAIN ? 'NXDOMAIN' : 'NOERROR',
  };
}

/** The UDP payload size a query allows: its EDNS0 OPT record's, else 512 (RFC 1035). */
export function udpLimit(message: Buffer): number {
  try {
    const opt = dnsPacket.decode(message).additionals?.find((record) => record.type === 'OPT');
    const size = opt && 'udpPayloadSize' in opt ? Number(opt.udpPayloadSize) : 512;
    return Math.min(Math.max(size, 512), 4096);
  } catch {
    return 512;
  }
}

/**
 * Encodes a response within `limit` bytes: as mesos-dns truncates, the additional records go first, then
 * answers from the back; a cut message has the TC bit so the client asks again over TCP.
 */
export function encodeWithin(packet: dnsPacket.Packet, limit: number): Buffer {
  let encoded = dnsPacket.encode(packet);
  if (encoded.length <= limit) return encoded;
  const cut: dnsPacket.Packet = {
    ...packet,
    flags: (packet.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE,
    additionals: [],
  };
  const answers = [...(packet.answers ?? [])];
  encoded = dnsPacket.encode(cut);
  while (encoded.length > limit && answers.length > 0) {
    answers.pop();
    encoded = dnsPacket.encode({ ...cut, answers });
  }
  return encoded;
}
