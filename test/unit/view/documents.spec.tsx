/**
 * @jest-environment jsdom
 *
 * Retriever spans in the span details: each document with its id, score and
 * source, in the shapes MLflow writes (its `Document`: `page_content`,
 * `metadata`, `id`). The source is a link only when it is http(s).
 */
import React from 'react';
import { render } from '@testing-library/react';
import { buildTrace, ISpanNode } from '../../../src/trace';
import { retrievedDocuments } from '../../../src/view/content';
import { SpanDetails } from '../../../src/view/SpanDetails';
import { inertProblems } from '../security/inert';
import { makeSpan } from '../trace/factory';
import { recordedTrace } from './helpers';

/** A RETRIEVER span whose output is `documents`, as `@mlflow.trace` writes it. */
function retrieverSpan(documents: unknown): ISpanNode {
  const span = makeSpan({
    id: 'r',
    name: 'retrieve',
    type: 'RETRIEVER',
    attributes: {
      'mlflow.spanInputs': { query: 'What is a trace?', k: 2 },
      'mlflow.spanOutputs': documents
    }
  });
  return buildTrace(undefined, [span]).nodesInOrder[0];
}

/** Each rendered document's facts and links. */
function shown(node: ISpanNode) {
  const { container } = render(<SpanDetails node={node} />);
  const list = container.querySelector('[aria-label="Retrieved documents"]');
  expect(list).not.toBeNull();
  return {
    container,
    documents: Array.from(list!.querySelectorAll(':scope > li')).map(li => ({
      facts: Array.from(li.querySelectorAll('.jp-MlflowTrace-fact')).map(
        f => f.textContent
      ),
      links: Array.from(li.querySelectorAll('a')).map(a => ({
        href: a.getAttribute('href'),
        target: a.getAttribute('target'),
        rel: a.getAttribute('rel'),
        text: a.textContent
      })),
      text: li.querySelector('.jp-MlflowTrace-messageText')?.textContent
    }))
  };
}

describe('retrieved documents', () => {
  it("shows the quickstart retriever's documents: id, metadata score, doc_uri as text", () => {
    // examples/python-quickstart.ipynb's `retrieve`: doc_uri is a document id.
    const { documents } = shown(
      retrieverSpan([
        {
          page_content: 'A trace is a tree of spans.',
          metadata: { doc_uri: 'd2', score: 0.707 },
          id: 'd2'
        },
        {
          page_content: 'MLflow Tracing records the inputs.',
          metadata: { doc_uri: 'd1', score: 0.25 },
          id: 'd1'
        }
      ])
    );
    expect(documents).toEqual([
      {
        facts: ['id d2', 'score 0.707', 'source d2'],
        links: [],
        text: 'A trace is a tree of spans.'
      },
      {
        facts: ['id d1', 'score 0.250', 'source d1'],
        links: [],
        text: 'MLflow Tracing records the inputs.'
      }
    ]);
  });

  it('links an http(s) doc_uri, opening it apart and without a referrer', () => {
    const uri = 'https://docs.example.org/tracing/spans/';
    const { documents } = shown(
      retrieverSpan([
        { page_content: 'x', metadata: { doc_uri: uri, score: 1 }, id: null }
      ])
    );
    expect(documents[0].facts).toEqual(['score 1.000', `source ${uri}`]);
    expect(documents[0].links).toEqual([
      { href: uri, target: '_blank', rel: 'noopener noreferrer', text: uri }
    ]);
  });

  it('links the recorded retriever span’s doc_uris, with its scores', () => {
    const retrieve = recordedTrace('nested').nodesInOrder.find(
      n => n.span.name === 'retrieve'
    );
    const { documents } = shown(retrieve!);
    expect(documents.map(d => d.facts)).toEqual([
      ['id doc-0', 'score 1.000', 'source https://example.org/doc0'],
      ['id doc-1', 'score 0.900', 'source https://example.org/doc1'],
      ['id doc-2', 'score 0.800', 'source https://example.org/doc2']
    ]);
    expect(documents.map(d => d.links.map(l => l.href))).toEqual([
      ['https://example.org/doc0'],
      ['https://example.org/doc1'],
      ['https://example.org/doc2']
    ]);
  });

  it.each([
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'https://user:secret@example.org/doc',
    'https://example.org/a b',
    '//example.org/doc',
    'file:///etc/passwd',
    '<img src=x onerror=alert(1)>'
  ])('shows the source %s as text, never as a link', source => {
    const { container, documents } = shown(
      retrieverSpan([
        { page_content: 'x', metadata: { doc_uri: source }, id: 'a' }
      ])
    );
    expect(documents[0].facts).toEqual(['id a', `source ${source}`]);
    expect(documents[0].links).toEqual([]);
    expect(inertProblems(container, ['details'])).toEqual([]);
  });
});

describe('retrievedDocuments', () => {
  it('reads the score and source where MLflow’s integrations put them', () => {
    expect(
      retrievedDocuments([
        // MLflow's LlamaIndex documents: the node's score in metadata.
        {
          page_content: 'a',
          metadata: { score: 0.5, file_path: '/data/a.txt' },
          id: 'n1'
        },
        // LangChain: a loader's `source`, a reranker's `relevance_score`.
        {
          page_content: 'b',
          metadata: { source: 'https://example.org/b', relevance_score: 0.8 },
          id: null
        },
        // doc_uri wins over source; the document's own score over metadata's.
        {
          page_content: 'c',
          metadata: { doc_uri: 'kb/c', source: 'other', score: 0.1 },
          score: 0.3,
          id: 7
        },
        // Neither: a chunk id stands for the id.
        { page_content: 'd', metadata: { chunk_id: 'c4' } }
      ])
    ).toEqual([
      {
        id: 'n1',
        content: 'a',
        score: 0.5,
        source: undefined,
        href: undefined
      },
      {
        id: undefined,
        content: 'b',
        score: 0.8,
        source: 'https://example.org/b',
        href: 'https://example.org/b'
      },
      { id: '7', content: 'c', score: 0.3, source: 'kb/c', href: undefined },
      {
        id: 'c4',
        content: 'd',
        score: undefined,
        source: undefined,
        href: undefined
      }
    ]);
  });

  it('gives null for anything but a list of documents', () => {
    for (const value of [
      undefined,
      null,
      [],
      'text',
      { page_content: 'x' },
      [{ page_content: 'x' }, { text: 'no page_content' }]
    ]) {
      expect(retrievedDocuments(value)).toBeNull();
    }
  });
});
