import { describeRegistryConformance } from '@mlops/core/testing';
import { describeInputSafetyConformance } from './input-safety-conformance';
import { filesystemSubject } from './subjects';

describeRegistryConformance('filesystem', filesystemSubject);
describeInputSafetyConformance('filesystem', filesystemSubject);
